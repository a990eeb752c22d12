import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createPolicy } from './factory.js'
import { compileGlob, minimatchMatcher } from './glob-match.js'
import { PolicyError } from './policy.js'
import { parsePolicySpec } from './spec.js'

const glob = (pattern: string, excludeTags?: string[]) =>
  createPolicy({ kind: 'glob', pattern }, excludeTags ? { excludeTags } : {})
const at = (iso: string) => ({ created: iso })

describe('glob policy filter', () => {
  it('matches the whole tag', () => {
    const policy = glob('dev-*')
    expect(policy.matches('dev-1')).toBe(true)
    expect(policy.matches('dev-')).toBe(true)
    expect(policy.matches('xdev-1')).toBe(false)
    expect(policy.matches('dev')).toBe(false)
    expect(policy.needsBuildTime).toBe(true)
  })

  it('supports classes, braces and extglobs', () => {
    expect(glob('dev-[0-9]*').matches('dev-7a')).toBe(true)
    expect(glob('dev-[0-9]*').matches('dev-a7')).toBe(false)
    expect(glob('{main,release}-*').matches('release-3')).toBe(true)
    expect(glob('{main,release}-*').matches('feature-3')).toBe(false)
    expect(glob('v+([0-9]).+([0-9])').matches('v12.3')).toBe(true)
    expect(glob('v+([0-9]).+([0-9])').matches('v12.3.4')).toBe(false)
  })

  it('negates with a leading !', () => {
    const policy = glob('!*-rc*')
    expect(policy.matches('1.2.3')).toBe(true)
    expect(policy.matches('1.2.3-rc1')).toBe(false)
  })

  it('never accepts latest in any case, except with exactly glob:latest', () => {
    for (const tag of ['latest', 'LATEST', 'Latest']) {
      expect(glob('*').matches(tag)).toBe(false)
      expect(glob('*').rejection(tag)).toBe('latest')
      expect(glob('[lL]atest').matches(tag)).toBe(false)
    }
    expect(glob('latest').matches('latest')).toBe(true)
    expect(glob('latest').matches('LATEST')).toBe(false)
    expect(glob('*').matches('latest-1')).toBe(true)
  })

  it('excludes signatures, attestations and SBOMs by default', () => {
    const policy = glob('*')
    for (const tag of ['sha256-abc.sig', 'sha256-abc.att', 'sha256-abc.sbom']) {
      expect(policy.matches(tag)).toBe(false)
      expect(policy.rejection(tag)).toBe('excluded')
    }
    expect(policy.matches('sha256-abc')).toBe(true)
    expect(policy.excludeTags).toEqual(['*.sig', '*.att', '*.sbom'])
  })

  it('takes its own exclusions, replacing the default', () => {
    const policy = glob('*', ['*-debug', 'tmp-*'])
    expect(policy.matches('1.2-debug')).toBe(false)
    expect(policy.matches('tmp-3')).toBe(false)
    expect(policy.matches('sha256-abc.sig')).toBe(true)
    expect(glob('*', []).matches('sha256-abc.sig')).toBe(true)
  })

  it('rejects tags outside the tag grammar even when the glob matches', () => {
    const policy = glob('*')
    for (const tag of ['a\nb: c', '-x', '.x', 'a b', 'a+b', 'a'.repeat(129), '']) {
      expect(policy.rejection(tag)).toBe('invalid')
    }
    expect(policy.matches(42 as unknown as string)).toBe(false)
  })

  it.each(['', '  ', 'a/b', 'dev *'])('throws PolicyError for the glob %j', (pattern) => {
    expect(() => glob(pattern)).toThrow(PolicyError)
    expect(() => glob(pattern)).toThrow(`invalid tag policy "glob:${pattern}"`)
  })

  it('throws for an invalid exclusion, naming it', () => {
    expect(() => glob('*', ['*.sig', ''])).toThrow('invalid tag exclusion "": the glob is empty')
  })
})

describe('glob policy ordering', () => {
  it('orders by build time, newest first, equal times by the lexically smaller tag (Flux v1)', () => {
    const info: Record<string, string> = {
      a: '2024-01-01T00:00:00Z',
      b: '2024-03-01T00:00:00Z',
      c: '2024-02-01T00:00:00Z',
      d: '2024-03-01T00:00:00Z',
    }
    const ordering = glob('*').order(['a', 'b', 'c', 'd'], (tag) => at(info[tag]!))
    expect(ordering.ranked).toEqual(['b', 'd', 'c', 'a'])
    expect(ordering.unordered).toEqual([])
  })

  it('sets apart tags without a usable build time', () => {
    const info: Record<string, string | undefined> = {
      a: '2024-01-01T00:00:00Z',
      epoch: '1970-01-01T00:00:00Z',
      bad: 'yesterday',
      missing: undefined,
    }
    const ordering = glob('*').order(Object.keys(info), (tag) => ({ created: info[tag] }))
    expect(ordering.ranked).toEqual(['a'])
    expect(ordering.unordered).toEqual(['epoch', 'bad', 'missing'])
    expect(ordering.unorderedWhy).toBe('no build time (epoch or missing)')
  })

  it('reads nanosecond build times', () => {
    const info: Record<string, string> = {
      a: '2024-01-01T00:00:00.999999999Z',
      b: '2024-01-01T00:00:01.000000001Z',
    }
    expect(glob('*').order(['b', 'a'], (tag) => at(info[tag]!)).ranked).toEqual(['b', 'a'])
  })
})

describe('glob shortcuts agree with minimatch', () => {
  const tagChar = fc.constantFrom(...'ab1.-_s'.split(''))
  const tag = fc.string({ unit: tagChar, minLength: 1, maxLength: 6 }).filter((t) => /^\w/.test(t))
  const pattern = fc.oneof(
    fc.string({ unit: tagChar, minLength: 1, maxLength: 4 }),
    fc.string({ unit: tagChar, maxLength: 4 }).map((s) => `${s}*`),
    fc.string({ unit: tagChar, maxLength: 4 }).map((s) => `*${s}`),
  )
  it('for literals, prefix* and *suffix', () => {
    fc.assert(
      fc.property(pattern, fc.array(tag, { maxLength: 8 }), (p, tags) => {
        const fast = compileGlob(p, p, 'test')
        const slow = minimatchMatcher(p)
        for (const t of tags) expect(fast(t)).toBe(slow(t))
      }),
    )
  })

  it('parsePolicySpec reads a bare value as a glob', () => {
    expect(createPolicy(parsePolicySpec('dev-*')).matches('dev-2')).toBe(true)
  })
})
