import { describe, expect, it } from 'vitest'
import { createPolicy } from './factory.js'
import { GlobPolicy } from './glob.js'
import { PolicyError } from './policy.js'
import { RegexPolicy } from './regex.js'
import { SemverPolicy } from './semver.js'
import { DEFAULT_POLICY, formatPolicySpec, type PolicySpec, parsePolicySpec } from './spec.js'

describe('parsePolicySpec', () => {
  it.each([
    ['glob:dev-*', 'glob', 'dev-*'],
    ['dev-*', 'glob', 'dev-*'],
    ['semver:~1.2', 'semver', '~1.2'],
    ['regex:^main-', 'regex', '^main-'],
    ['regexp:^main-', 'regex', '^main-'],
    ['  semver:^1  ', 'semver', '^1'],
    ['regex:a:b', 'regex', 'a:b'],
  ])('%j → %s %j', (value, kind, pattern) => {
    expect(parsePolicySpec(value)).toEqual({ kind, pattern })
  })

  it('formats back', () => {
    expect(formatPolicySpec(parsePolicySpec('regexp:x'))).toBe('regex:x')
  })
})

describe('createPolicy', () => {
  it('picks the class for the kind', () => {
    expect(createPolicy(DEFAULT_POLICY)).toBeInstanceOf(GlobPolicy)
    expect(createPolicy({ kind: 'semver', pattern: '^1' })).toBeInstanceOf(SemverPolicy)
    expect(createPolicy({ kind: 'regex', pattern: 'x' })).toBeInstanceOf(RegexPolicy)
  })

  it('shares one instance per spec and exclusions', () => {
    const spec: PolicySpec = { kind: 'semver', pattern: '^2' }
    expect(createPolicy(spec)).toBe(createPolicy({ ...spec }))
    expect(createPolicy(spec, { excludeTags: ['*-x'] })).not.toBe(createPolicy(spec))
    expect(createPolicy(spec, { excludeTags: ['*-x'] })).toBe(createPolicy(spec, { excludeTags: ['*-x'] }))
  })

  it('is not changed by a caller mutating its spec', () => {
    const spec: PolicySpec = { kind: 'glob', pattern: 'mutable-*' }
    const policy = createPolicy(spec)
    spec.pattern = 'other-*'
    expect(policy.spec.pattern).toBe('mutable-*')
    expect(policy.matches('mutable-1')).toBe(true)
  })

  it('throws PolicyError with code POLICY_INVALID, naming the pattern', () => {
    try {
      createPolicy({ kind: 'regex', pattern: '(' })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyError)
      expect((error as PolicyError).code).toBe('POLICY_INVALID')
      expect((error as PolicyError).pattern).toBe('regex:(')
      expect((error as PolicyError).message).toMatch(/^invalid tag policy "regex:\(": /)
    }
  })

  it('throws for an unknown kind', () => {
    expect(() => createPolicy({ kind: 'calver', pattern: 'x' } as unknown as PolicySpec)).toThrow(
      /unknown policy kind "calver"/,
    )
  })
})

describe('unknown filter prefixes (issue 8 §2)', () => {
  it.each([
    ['semvr:~1.2', 'semver'],
    ['SEMVER:^1', 'semver'],
    ['regx:^main-', 'regex'],
    ['glb:dev-*', 'glob'],
    ['numeric:asc', 'numerical'],
  ])('%s is POLICY_INVALID with "did you mean `%s:`"', (value, suggestion) => {
    const spec = parsePolicySpec(value)
    expect(() => createPolicy(spec)).toThrow(PolicyError)
    expect(() => createPolicy(spec)).toThrow(`invalid tag policy "${value}": unknown filter prefix`)
    expect(() => createPolicy(spec)).toThrow(`did you mean \`${suggestion}:\`?`)
  })
})
