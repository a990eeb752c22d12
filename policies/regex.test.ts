import { describe, expect, it } from 'vitest'
import { createPolicy } from './factory.js'
import { PolicyError } from './policy.js'
import { firstNamedGroup } from './regex.js'

const regex = (pattern: string) => createPolicy({ kind: 'regex', pattern })

describe('regex policy filter', () => {
  it('is unanchored, as in Flux v1', () => {
    const policy = regex('rc')
    expect(policy.matches('1.2-rc1')).toBe(true)
    expect(policy.matches('rc')).toBe(true)
    expect(policy.matches('1.2')).toBe(false)
    expect(regex('^main-').matches('x-main-1')).toBe(false)
    expect(regex('^main-').matches('main-1')).toBe(true)
  })

  it('keeps the latest rule and exclusions', () => {
    expect(regex('.*').matches('latest')).toBe(false)
    expect(regex('^latest$').matches('latest')).toBe(false)
    expect(regex('.*').matches('sha256-abc.sig')).toBe(false)
  })

  it.each(['(', '[a-', '*x', '(?<ts>a)(?<ts>b)', ''])('throws PolicyError for %j', (pattern) => {
    expect(() => regex(pattern)).toThrow(PolicyError)
    expect(() => regex(pattern)).toThrow(`invalid tag policy "regex:${pattern}"`)
  })

  it('says why the expression is invalid', () => {
    expect(() => regex('(')).toThrow(/not a valid RE2 \(Go\) regular expression \(.*missing closing \)/)
  })
})

describe('regex policy without a named group', () => {
  it('orders by build time', () => {
    const policy = regex('^main-')
    expect(policy.needsBuildTime).toBe(true)
    const info: Record<string, string> = {
      'main-a': '2024-05-01T00:00:00Z',
      'main-b': '2024-04-01T00:00:00Z',
    }
    expect(policy.order(['main-b', 'main-a'], (tag) => ({ created: info[tag] })).ranked).toEqual([
      'main-a',
      'main-b',
    ])
  })

  it('does not take an unnamed group as an order key', () => {
    expect(regex('^main-(\\d+)$').needsBuildTime).toBe(true)
  })
})

describe('regex policy with a named group', () => {
  const pattern = '^main-[a-f0-9]+-(?<ts>\\d+)$'

  it('needs no build times', () => {
    expect(regex(pattern).needsBuildTime).toBe(false)
  })

  it('orders numerically when every captured value is digits', () => {
    const tags = ['main-abc-9', 'main-def-10', 'main-012-0100', 'main-aaa-11']
    expect(regex(pattern).order(tags).ranked).toEqual([
      'main-012-0100',
      'main-aaa-11',
      'main-def-10',
      'main-abc-9',
    ])
  })

  it('orders numbers of 20 digits and more exactly', () => {
    const big = [
      'main-a-123456789012345678901',
      'main-b-123456789012345678900',
      'main-c-99999999999999999999',
    ]
    expect(regex(pattern).order(big).ranked).toEqual(big)
  })

  it('orders lexically when any captured value is not a number', () => {
    const policy = regex('^build-(?<when>[\\w.]+)$')
    expect(policy.order(['build-9', 'build-10', 'build-2024.01']).ranked).toEqual([
      'build-9',
      'build-2024.01',
      'build-10',
    ])
  })

  it('breaks ties in the key by the lexically greater tag', () => {
    expect(regex(pattern).order(['main-aa-5', 'main-bb-5', 'main-ab-5']).ranked).toEqual([
      'main-bb-5',
      'main-ab-5',
      'main-aa-5',
    ])
  })

  it('uses the FIRST named group, whatever its name', () => {
    const policy = regex('^(?<branch>[a-z]+)-(?<n>\\d+)$')
    expect(policy.order(['b-1', 'a-9', 'c-0']).ranked).toEqual(['c-0', 'b-1', 'a-9'])
    expect(firstNamedGroup('(?<x>a)(?<y>b)')).toBe('x')
    expect(firstNamedGroup('(a)(?:b)(?<later>c)')).toBe('later')
    expect(firstNamedGroup('\\(?<no>x\\)')).toBeUndefined()
    expect(firstNamedGroup('(?P<go>a)(?<js>b)')).toBe('go')
    expect(firstNamedGroup('[(?<no>)]')).toBeUndefined()
  })

  it('sets apart tags whose group captured nothing', () => {
    const ordering = regex('^(?:main-(?<n>\\d+)|dev)$').order(['main-1', 'dev'])
    expect(ordering.ranked).toEqual(['main-1'])
    expect(ordering.unordered).toEqual(['dev'])
    expect(ordering.unorderedWhy).toBe('nothing captured in the group "n"')
  })
})

describe('regex policy syntax: RE2, as Go read it in Flux v1', () => {
  it.each([
    ['(?i)^MAIN-', 'main-1', true],
    ['^[[:alpha:]]+-\\d+$', 'abc-1', true],
    ['^[[:alpha:]]+-\\d+$', 'ab1-1', false],
    ['-rc\\d+\\z', '1.0-rc1', true],
    ['-rc\\d+\\z', '1.0-rc1x', false],
    ['^\\pL+$', 'abc', true],
  ])('%j on %j is %s', (pattern, tag, expected) => {
    expect(regex(pattern).matches(tag)).toBe(expected)
  })

  it('takes (?P<name>…) and (?<name>…) alike for the ordering group', () => {
    expect(regex('^main-(?P<n>\\d+)$').order(['main-9', 'main-10']).ranked).toEqual(['main-10', 'main-9'])
    expect(regex('^main-(?<n>\\d+)$').order(['main-9', 'main-10']).ranked).toEqual(['main-10', 'main-9'])
  })

  it.each(['(?=x)', '(?<=a)b', '(a)\\1', '\\Z'])(
    'refuses JavaScript-only syntax %j with the RE2 reason',
    (pattern) => {
      expect(() => regex(pattern)).toThrow(/not a valid RE2 \(Go\) regular expression/)
    },
  )

  it('matches in linear time: a pattern that backtracks exponentially in JavaScript returns at once', () => {
    // A backtracking engine needs about 2^100 steps here and would hit the test's timeout.
    expect(regex('^(a+)+$').matches(`${'a'.repeat(100)}b`)).toBe(false)
  })
})
