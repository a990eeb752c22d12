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
    expect(() => regex('(')).toThrow(/not a valid JavaScript regular expression \(.*Unterminated group/)
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
    expect(firstNamedGroup('(?<=a)b(?<!c)')).toBeUndefined()
    expect(firstNamedGroup('[(?<no>)]')).toBeUndefined()
  })

  it('sets apart tags whose group captured nothing', () => {
    const ordering = regex('^(?:main-(?<n>\\d+)|dev)$').order(['main-1', 'dev'])
    expect(ordering.ranked).toEqual(['main-1'])
    expect(ordering.unordered).toEqual(['dev'])
    expect(ordering.unorderedWhy).toBe('nothing captured in the group "n"')
  })
})
