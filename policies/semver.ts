// `semver:RANGE`: tags that parse as versions and satisfy a node-semver range; highest version wins.
import semver from 'semver'
import { BasePolicy, type PolicyOptions } from './base.js'
import type { Ordering } from './policy.js'
import { compareStrings, PolicyError, rankByKey } from './policy.js'
import { formatPolicySpec, type PolicySpec } from './spec.js'

// Cheap pre-check so that most non-version tags (sha-abc, main-123) skip the full parse.
const LOOKS_LIKE_VERSION = /^v?\d/
// decide() asks about the same tags twice (filter, then order) and policies are shared between
// targets of one image, so parsed versions and range checks are kept, within a bound.
const CACHE_LIMIT = 4_096

/**
 * The version a tag names, or null. A `v` prefix is allowed (`v1.2.3`); `_` stands for `+`, as
 * Helm writes build metadata in OCI tags (`1.2.3_build.5` is 1.2.3+build.5), since `+` is not
 * allowed in a tag. Partial versions (`1.2`) are not versions.
 */
export function parseTagVersion(tag: string): semver.SemVer | null {
  if (!LOOKS_LIKE_VERSION.test(tag)) return null
  return semver.parse(tag.includes('_') ? tag.replace('_', '+') : tag)
}

interface ParsedTag {
  version: semver.SemVer | null
  inRange: boolean
}

/** Higher version wins; build metadata does not count (semver precedence). */
function newerVersion(a: semver.SemVer, b: semver.SemVer): number {
  return a.compare(b)
}

/** Equal versions (`v1.2.3`, `1.2.3`, `1.2.3_b`) go to the longer tag, then the lexically greater. */
function longerTag(a: string, b: string): number {
  return a.length - b.length || compareStrings(a, b)
}

export class SemverPolicy extends BasePolicy {
  readonly needsBuildTime = false
  private readonly range: semver.Range
  private readonly parsed = new Map<string, ParsedTag>()

  constructor(spec: PolicySpec, options?: PolicyOptions) {
    super(spec, options)
    const shown = formatPolicySpec(spec)
    if (spec.pattern.trim() === '') {
      throw new PolicyError(shown, 'the semver range is empty; write semver:* to accept every release')
    }
    try {
      this.range = new semver.Range(spec.pattern)
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error)
      throw new PolicyError(
        shown,
        `not a valid semver range (${detail}); write a node-semver range such as ^1.2, ~0.4 or >=1.0.0 <2.0.0`,
      )
    }
  }

  /** Pre-releases pass only when the range names one with the same major.minor.patch (node-semver). */
  protected passes(value: string): boolean {
    return this.parse(value).inRange
  }

  order(tags: readonly string[]): Ordering {
    const keyed: { tag: string; key: semver.SemVer }[] = []
    const unordered: string[] = []
    for (const tag of tags) {
      const value = this.valueOf(tag)
      const version = value === undefined ? null : this.parse(value).version
      if (version === null) unordered.push(tag)
      else keyed.push({ tag, key: version })
    }
    return { ...rankByKey(keyed, newerVersion, longerTag), unordered, unorderedWhy: 'no version' }
  }

  private parse(value: string): ParsedTag {
    let entry = this.parsed.get(value)
    if (entry === undefined) {
      if (this.parsed.size >= CACHE_LIMIT) this.parsed.clear()
      const version = parseTagVersion(value)
      entry = { version, inRange: version !== null && this.range.test(version) }
      this.parsed.set(value, entry)
    }
    return entry
  }
}
