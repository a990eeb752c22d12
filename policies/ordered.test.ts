// Flux v2 ImagePolicy orders (alphabetical, numerical) with the picks of image-reflector-controller's
// own tables: github.com/fluxcd/image-reflector-controller@debe2aaa3a98 internal/policy/
// alphabetical_test.go and numerical_test.go (TestAlphabetical_Latest, TestNumerical_Latest).
import { describe, expect, it } from 'vitest'
import { createPolicy } from './factory.js'
import { PolicyError } from './policy.js'
import { decide } from './select.js'
import type { PolicySpec } from './spec.js'
import { formatPolicySpec, parsePolicySpec } from './spec.js'

const ordered = (kind: 'alphabetical' | 'numerical', order?: 'asc' | 'desc') =>
  createPolicy({ kind, pattern: '', ...(order && { order }) })
/** The policy's pick among values, as Flux's Latest(): order() only, so values need not be tags. */
const pick = (kind: 'alphabetical' | 'numerical', order: 'asc' | 'desc', values: string[]) =>
  ordered(kind, order).order(values).ranked[0] ?? null

const UBUNTU = ['16.04', '16.04.1', '16.10', '20.04', '20.10']
const NAMES = ['xenial', 'yakkety', 'zesty', 'artful', 'bionic']
const STAMPS = ['1606234201', '1606364286', '1606334092', '1606334284', '1606334201']
const RFC3339 = [
  '2021-01-08T21-18-21Z',
  '2020-05-08T21-18-21Z',
  '2021-01-08T19-20-00Z',
  '1990-01-08T00-20-00Z',
  '2023-05-08T00-20-00Z',
]

describe('alphabetical (alphabetical_test.go TestAlphabetical_Latest)', () => {
  it.each([
    ['With Ubuntu CalVer', 'asc', UBUNTU, '20.10'],
    ['With Ubuntu CalVer descending', 'desc', UBUNTU, '16.04'],
    ['With Ubuntu code names', 'asc', NAMES, 'zesty'],
    ['With Ubuntu code names descending', 'desc', NAMES, 'artful'],
    ['With Timestamps', 'asc', STAMPS, '1606364286'],
    ['With Unix Timestamps desc', 'desc', STAMPS, '1606234201'],
    ['With Unix Timestamps prefix', 'asc', STAMPS.map((s) => `rel-${s}`), 'rel-1606364286'],
    ['With RFC3339', 'asc', RFC3339, '2023-05-08T00-20-00Z'],
    ['With RFC3339 desc', 'desc', RFC3339, '1990-01-08T00-20-00Z'],
    ['Empty version list', 'asc', [], null],
  ] as const)('%s', (_label, order, versions, expected) => {
    expect(pick('alphabetical', order, [...versions])).toBe(expected)
  })

  it('is byte order, not natural order: 9 beats 10 (as Go sort.Strings)', () => {
    expect(pick('alphabetical', 'asc', ['build-9', 'build-10'])).toBe('build-9')
  })

  it('decides through decide() like any policy, needing no build times', () => {
    const policy = ordered('alphabetical')
    expect(policy.needsBuildTime).toBe(false)
    const decision = decide({ policy, currentTag: 'xenial', tags: NAMES })
    expect(decision).toMatchObject({ next: 'zesty', outcome: 'update', candidates: 5 })
    expect(decision.reason).toContain('alphabetical:asc')
    expect(decide({ policy, currentTag: 'zesty', tags: NAMES }).outcome).toBe('up-to-date')
  })
})

describe('numerical (numerical_test.go TestNumerical_Latest)', () => {
  it.each([
    ['integers ascending', 'asc', ['-62', '-88', '73', '72', '15', '16', '15', '29', '-33', '-91'], '73'],
    ['integers descending', 'desc', ['5', '-8', '-78', '25', '70', '-4', '80', '92', '-20', '-24'], '-78'],
    [
      'floats ascending',
      'asc',
      [
        '47.40896403322944',
        '-27.8520927455902',
        '-27.930666514224427',
        '-31.352485948094568',
        '-50.41072694704882',
      ],
      '47.40896403322944',
    ],
    [
      'floats descending',
      'desc',
      [
        '-65.27202780220686',
        '57.82948329142309',
        '-90.29082099756083',
        '-12.041712603564264',
        '77.70488240399305',
      ],
      '-90.29082099756083',
    ],
    ['Unix timestamps ascending', 'asc', STAMPS, '1606364286'],
    ['Unix timestamps descending', 'desc', STAMPS, '1606234201'],
    ['single value ascending', 'asc', ['1'], '1'],
    ['single value descending', 'desc', ['1'], '1'],
    ['empty list', 'asc', [], null],
  ] as const)('%s', (_label, order, versions, expected) => {
    expect(pick('numerical', order, [...versions])).toBe(expected)
  })

  it('compares exactly where float64 would call two long numbers equal', () => {
    expect(pick('numerical', 'asc', ['12345678901234567891', '12345678901234567890'])).toBe(
      '12345678901234567891',
    )
    expect(pick('numerical', 'asc', ['1e3', '999.5', '0.0012e6'])).toBe('0.0012e6')
    expect(pick('numerical', 'desc', ['0', '-0.5', '.25'])).toBe('-0.5')
  })

  it('refuses to pick when any value is not a number, as Flux errors ("With invalid numerical value")', () => {
    const policy = ordered('numerical')
    const ordering = policy.order(['0', '1a', 'b'])
    expect(ordering.ranked).toEqual([])
    expect(ordering.unordered).toEqual(['1a', 'b'])
    const decision = decide({ policy, currentTag: '0', tags: ['0', '1a', 'b'] })
    expect(decision.next).toBeUndefined()
    expect(decision.outcome).toBe('unorderable')
    expect(decision.reason).toContain('2 candidates have no numeric value')
    expect(decision.reason).toContain('1a, b')
  })

  it('does not read inf, nan or hex floats as numbers (Go would): as tags they are words', () => {
    expect(ordered('numerical').order(['inf', '1']).ranked).toEqual([])
    expect(ordered('numerical').order(['0x10', '1']).unordered).toEqual(['0x10'])
  })

  it('ties between equal values fall to the lexically greater tag', () => {
    expect(ordered('numerical').order(['1.0', '1', '01']).ranked).toEqual(['1.0', '1', '01'])
  })
})

describe('ordered policy specs', () => {
  it('reads alphabetical: and numerical: with an order, as an imagebot annotation extension', () => {
    expect(parsePolicySpec('alphabetical:desc')).toEqual({ kind: 'alphabetical', pattern: '', order: 'desc' })
    expect(parsePolicySpec('numerical:asc')).toEqual({ kind: 'numerical', pattern: '', order: 'asc' })
    expect(formatPolicySpec({ kind: 'numerical', pattern: '' })).toBe('numerical:asc')
    expect(formatPolicySpec(parsePolicySpec('alphabetical:desc'))).toBe('alphabetical:desc')
  })

  it.each(['alphabetical:up', 'numerical:x', 'alphabetical:'])('refuses %j, naming the order', (value) => {
    const spec = parsePolicySpec(value)
    if (spec.pattern === '') spec.order = 'sideways' as 'asc'
    expect(() => createPolicy(spec)).toThrow(PolicyError)
    expect(() => createPolicy(spec)).toThrow(/is not an order; write asc or desc/)
  })

  it('refuses an order on a policy that has none', () => {
    const spec: PolicySpec = { kind: 'semver', pattern: '^1', order: 'desc' }
    expect(() => createPolicy(spec)).toThrow(/an order applies to alphabetical and numerical policies only/)
  })

  it('prefers the label when one is given', () => {
    const spec: PolicySpec = { kind: 'alphabetical', pattern: '', label: 'flux:apps/podinfo' }
    expect(decide({ policy: createPolicy(spec), currentTag: 'a', tags: ['a', 'b'] }).reason).toContain(
      'flux:apps/podinfo',
    )
  })
})
