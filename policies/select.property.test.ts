import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createPolicy } from './factory.js'
import type { BuildInfo } from './policy.js'
import { decide } from './select.js'
import { parseTagVersion } from './semver.js'
import { parsePolicySpec } from './spec.js'

const num = fc.integer({ min: 0, max: 12 })
const versionTag = fc
  .tuple(fc.constantFrom('', 'v'), num, num, num, fc.constantFrom('', '-rc.1', '-rc.2', '-beta', '_b1'))
  .map(([v, a, b, c, pre]) => `${v}${a}.${b}.${c}${pre}`)
const otherTag = fc.oneof(
  fc.constantFrom('latest', 'LATEST', 'main', 'sha256-ab.sig', '1.2.3.att', '1.2', 'dev-1', 'dev-22', ''),
  fc.constantFrom('1.2.3\nx: y', '-1.0.0', '1.0.0+meta', '1.0.0 '),
  fc
    .tuple(
      fc.constantFrom('main-', 'dev-'),
      fc.string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')), maxLength: 4 }),
      num,
    )
    .map(([p, h, n]) => `${p}${h}-${n}`),
)
const tag = fc.oneof({ arbitrary: versionTag, weight: 3 }, { arbitrary: otherTag, weight: 2 })
const created = fc.option(
  fc.oneof(
    fc.constant('1970-01-01T00:00:00Z'),
    fc.integer({ min: 0, max: 5 }).map((d) => `2024-01-0${d + 1}T00:00:00Z`),
  ),
  { nil: undefined },
)

const semverSpecs = ['semver:*', 'semver:~0.4', 'semver:^1', 'semver:>=2.0.0-rc.0 <4', 'semver:1.x || 3.x']
const otherSpecs = [
  'glob:*',
  'glob:dev-*',
  'glob:latest',
  'regex:rc',
  'regex:^(main|dev)-[a-f0-9]*-(?<n>\\d+)$',
]

const scenario = (specs: string[]) =>
  fc.record({
    spec: fc.constantFrom(...specs),
    tags: fc.array(tag, { maxLength: 25 }),
    current: fc.option(tag, { nil: undefined }),
    times: fc.dictionary(tag, created),
  })

function run(s: {
  spec: string
  tags: string[]
  current: string | undefined
  times: Record<string, string | undefined>
}) {
  const policy = createPolicy(parsePolicySpec(s.spec))
  const buildInfo = (t: string): BuildInfo | undefined =>
    Object.hasOwn(s.times, t) ? { created: s.times[t] } : undefined
  return { policy, decision: decide({ policy, currentTag: s.current, tags: s.tags, buildInfo }) }
}

describe('decide, for random tag sets', () => {
  it('only ever returns a listed tag that passes the filter', () => {
    fc.assert(
      fc.property(scenario([...semverSpecs, ...otherSpecs]), (s) => {
        const { policy, decision } = run(s)
        expect(decision.next !== undefined).toBe(decision.outcome === 'update')
        if (decision.next === undefined) return
        expect(policy.matches(decision.next)).toBe(true)
        expect(decision.next).toMatch(/^[\w][\w.-]{0,127}$/)
        expect(s.tags).toContain(decision.next)
        expect(decision.next).not.toBe(s.current)
        expect(decision.candidates).toBeGreaterThan(0)
        expect(decision.candidates).toBeLessThanOrEqual(decision.tagsSeen)
      }),
      { numRuns: 400 },
    )
  })

  it('with semver, never returns a version lower than or equal to a matching current tag', () => {
    fc.assert(
      fc.property(scenario(semverSpecs), (s) => {
        const { policy, decision } = run(s)
        if (decision.next === undefined || s.current === undefined || !policy.matches(s.current)) return
        const next = parseTagVersion(decision.next)!
        const current = parseTagVersion(s.current)!
        expect(next.compare(current)).toBe(1)
      }),
      { numRuns: 400 },
    )
  })

  it('does not depend on the order the registry lists tags in', () => {
    fc.assert(
      fc.property(scenario([...semverSpecs, ...otherSpecs]), (s) => {
        const forward = run(s).decision
        const backward = run({ ...s, tags: [...s.tags].reverse() }).decision
        expect(backward.next).toBe(forward.next)
        expect(backward.outcome).toBe(forward.outcome)
      }),
      { numRuns: 200 },
    )
  })
})
