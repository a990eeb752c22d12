// Issue 12 §1 as a property: over random (listed tags, true build times, tags whose metadata fetch
// failed, current tag, listed or not), a build-time decision never moves to a tag that orders
// before the current one, and never to a tag that is not the newest, judged by the TRUE times.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createPolicy } from './factory.js'
import type { BuildInfo } from './policy.js'
import { decide } from './select.js'
import { parsePolicySpec } from './spec.js'

const tag: fc.Arbitrary<string> = fc.constantFrom(
  'v-1',
  'v-2',
  'v-3',
  'v-4',
  'v-5',
  'v-10',
  'dev-1',
  'dev-2',
  'main-1',
)
/** A true build time: a day in 2024, the epoch (reproducible build) or none at all. */
const truth = fc.oneof(
  fc.integer({ min: 1, max: 4 }).map((day) => `2024-01-0${day}T00:00:00Z` as string | null),
  fc.constant('1970-01-01T00:00:00Z'),
  fc.constant(null),
)
const world = fc.record({
  spec: fc.constantFrom('glob:v-*', 'glob:*', 'regex:^(v|dev)-\\d$'),
  listed: fc.uniqueArray(tag, { maxLength: 9 }),
  times: fc.dictionary(tag, truth),
  failing: fc.uniqueArray(tag, { maxLength: 3 }),
  current: fc.option(tag, { nil: undefined }),
})

type World = typeof world extends fc.Arbitrary<infer T> ? T : never

/** What the registry really holds: every tag named anywhere has a true build time (or none). */
const trueInfo =
  (w: World) =>
  (t: string): BuildInfo => {
    const created = w.times[t]
    return created ? { created } : {}
  }

/** The decision on what the scan saw: the true metadata, except for the failing tags (unknown). */
function decideSeen(w: World) {
  const policy = createPolicy(parsePolicySpec(w.spec))
  const known = trueInfo(w)
  const buildInfo = (t: string) => (w.failing.includes(t) ? undefined : known(t))
  return { policy, known, decision: decide({ policy, currentTag: w.current, tags: w.listed, buildInfo }) }
}

describe('decide on incomplete metadata, for random worlds', () => {
  it('never moves backwards and never to a non-newest tag', () => {
    fc.assert(
      fc.property(world, (w) => {
        const { policy, known, decision } = decideSeen(w)
        if (decision.next === undefined) return
        // The truth, with every build time known: the ordering of the listed candidates and the current tag.
        const pool = w.listed.filter((t) => policy.matches(t))
        const currentMatches = w.current !== undefined && policy.matches(w.current)
        if (currentMatches && !pool.includes(w.current!)) pool.push(w.current!)
        const ranked = policy.order(pool, known).ranked
        const newestListed = ranked.find((t) => w.listed.includes(t))
        expect(decision.next).toBe(newestListed)
        if (currentMatches) {
          expect(ranked).toContain(w.current)
          expect(ranked.indexOf(decision.next)).toBeLessThan(ranked.indexOf(w.current!))
          expect(Date.parse(known(decision.next).created!)).toBeGreaterThanOrEqual(
            Date.parse(known(w.current!).created!),
          )
        }
      }),
      { numRuns: 2_000 },
    )
  })

  it('moves only when every candidate and the current tag have known metadata', () => {
    fc.assert(
      fc.property(world, (w) => {
        const { policy, decision } = decideSeen(w)
        const involved = w.listed.filter((t) => policy.matches(t))
        // No candidate at all is "no tags" or "no match", decided before any metadata matters.
        if (involved.length === 0) return
        if (w.current !== undefined && policy.matches(w.current)) involved.push(w.current)
        const blind = involved.filter((t) => w.failing.includes(t))
        if (blind.length > 0) {
          expect(decision.outcome).toBe('waiting-for-metadata')
          for (const t of blind) expect(decision.reason).toContain(t)
        } else {
          expect(decision.outcome).not.toBe('waiting-for-metadata')
        }
      }),
      { numRuns: 1_000 },
    )
  })
})
