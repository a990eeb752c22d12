// Ordering by image build time, for glob and regex policies without a named group.
import type { BuildInfo, BuildInfoLookup, Ordering } from './policy.js'
import { compareStrings, rankByKey } from './policy.js'

// Reproducible builds (ko, Bazel, SOURCE_DATE_EPOCH=0) stamp the Unix epoch: such a time says
// nothing about which image is newer, so anything on 1970-01-01 or before counts as missing.
const FIRST_REAL_MS = 86_400_000

// Date.parse dominates ordering by build time; the same `created` strings recur for every target
// of an image, so parsed times are kept, within a bound.
const PARSED_LIMIT = 50_000
const parsed = new Map<string, number>()

export const NO_BUILD_TIME = 'no build time (epoch or missing)'

/** Milliseconds since the epoch, or undefined when the build time is missing, unparsable or the epoch. */
export function buildTimeOf(info: BuildInfo | undefined): number | undefined {
  const created = info?.created
  if (typeof created !== 'string') return undefined
  let ms = parsed.get(created)
  if (ms === undefined) {
    if (parsed.size >= PARSED_LIMIT) parsed.clear()
    ms = Date.parse(created)
    parsed.set(created, ms)
  }
  return Number.isFinite(ms) && ms >= FIRST_REAL_MS ? ms : undefined
}

/**
 * Newest build first. Equal build times go to the lexically SMALLER tag, as Flux v1 ordered images
 * (pkg/image NewerByCreated: equal CreatedAt, then the smaller reference string is newer).
 */
export function orderByBuildTime(tags: readonly string[], buildInfo: BuildInfoLookup | undefined): Ordering {
  const keyed: { tag: string; key: number }[] = []
  const unordered: string[] = []
  for (const tag of tags) {
    const ms = buildTimeOf(buildInfo?.(tag))
    if (ms === undefined) unordered.push(tag)
    else keyed.push({ tag, key: ms })
  }
  const smallerTag = (a: string, b: string) => compareStrings(b, a)
  return { ...rankByKey(keyed, (a, b) => a - b, smallerTag), unordered, unorderedWhy: NO_BUILD_TIME }
}
