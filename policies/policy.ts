// The tag policy contract: a filter (which tags may be chosen) and an ordering (which is newest).
// Each kind lives in its own file (glob.ts, semver.ts, regex.ts); factory.ts picks one.
import type { PolicySpec } from './spec.js'

/** Image build metadata the caller knows for a tag. */
export interface BuildInfo {
  /** Build time (the image config's `created`), ISO 8601. */
  created?: string
}

export type BuildInfoLookup = (tag: string) => BuildInfo | undefined

/** Why a tag is not a candidate. */
export type Rejection =
  /** Not a valid tag per the distribution grammar `[\w][\w.-]{0,127}`. */
  | 'invalid'
  /** `latest` (any case), allowed only by the exact filter `glob:latest`. */
  | 'latest'
  /** Matches one of the exclusion globs (signatures, attestations, SBOMs by default). */
  | 'excluded'
  /** Does not pass the policy's own filter. */
  | 'filter'

/** Tags that passed the filter, split into those the policy can order and those it cannot. */
export interface Ordering {
  /** Newest first. */
  ranked: string[]
  /**
   * How many of `ranked` share the newest order key (1 unless there are ties; 0 when `ranked` is
   * empty). Tied tags are ordered by the tie-break, but the downgrade guard treats them as equal.
   */
  tiedAtTop: number
  /** Passed the filter but have no order key (e.g. no build time); never chosen. */
  unordered: string[]
  /** Completes "N candidates have …", e.g. "no build time (epoch or missing)". */
  unorderedWhy: string
}

export interface TagPolicy {
  readonly spec: PolicySpec
  /** True when ordering needs image build times (glob, regex without a named group). */
  readonly needsBuildTime: boolean
  /** Globs of tags that are never candidates (cosign signatures etc. by default). */
  readonly excludeTags: readonly string[]
  /** RE2 patterns of tags that are never candidates (from the spec; Flux v2 `exclusionList`). */
  readonly excludePatterns: readonly string[]
  /** Whether the tag passes the filter (exclusions and the `latest` rule included). */
  matches(tag: string): boolean
  /** Why the tag is not a candidate, or undefined when it is one. */
  rejection(tag: string): Rejection | undefined
  /**
   * Orders tags that pass the filter (the caller filters first), newest first. `buildInfo` is
   * consulted only when `needsBuildTime` is true.
   */
  order(tags: readonly string[], buildInfo?: BuildInfoLookup): Ordering
}

/** A tag filter that cannot be compiled; thrown by the policy constructors. */
export class PolicyError extends Error {
  readonly code = 'POLICY_INVALID'
  constructor(
    /** The pattern at fault, as written (`semver:~1.x.y`, or an exclusion glob). */
    readonly pattern: string,
    problem: string,
    what = 'tag policy',
  ) {
    super(`invalid ${what} "${pattern}": ${problem}`)
    this.name = 'PolicyError'
  }
}

/** Compares two order keys: positive when a is newer than b, 0 when they order equal. */
export type Newer<K> = (a: K, b: K) => number

/**
 * Sorts keyed tags newest first. Equal keys fall to `tieBreak` (by default the lexically greater
 * tag wins) so that the order is total and the choice never depends on the registry's list order.
 */
export function rankByKey<K>(
  keyed: readonly { tag: string; key: K }[],
  newer: Newer<K>,
  tieBreak: Newer<string> = compareStrings,
): Pick<Ordering, 'ranked' | 'tiedAtTop'> {
  const sorted = [...keyed].sort((a, b) => newer(b.key, a.key) || tieBreak(b.tag, a.tag))
  const top = sorted[0]
  let tiedAtTop = 0
  while (top !== undefined && tiedAtTop < sorted.length && newer(sorted[tiedAtTop]!.key, top.key) === 0) {
    tiedAtTop++
  }
  return { ranked: sorted.map((entry) => entry.tag), tiedAtTop }
}

/** Plain code-unit order, independent of locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
