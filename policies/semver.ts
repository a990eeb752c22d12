// `semver:RANGE`: tags that read as versions (partial ones too, as Flux v1) and satisfy a
// Masterminds/semver v3 range (semver-range.ts); the highest version wins.
import type { SemVer } from 'semver'
// Only the parser (and the SemVer class it builds): semver's index loads all of its ~50 modules, 58 KB more
// for the CLI bundle to compile at start.
import parseSemver from 'semver/functions/parse.js'
import { BasePolicy, type PolicyOptions } from './base.js'
import type { Ordering } from './policy.js'
import { compareStrings, PolicyError, rankByKey } from './policy.js'
import { SemverRange } from './semver-range.js'
import { formatPolicySpec, type PolicySpec } from './spec.js'

// Cheap pre-check so that most non-version tags (sha-abc, main-123) skip the full parse.
const LOOKS_LIKE_VERSION = /^v?\d/
// decide() asks about the same tags twice (filter, then order) and policies are shared between
// targets of one image, so parsed versions and range checks are kept, within a bound.
const CACHE_LIMIT = 4_096

const NUMBER = '(0|[1-9]\\d*)'
const IDS = '[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*'
const TAG_VERSION = new RegExp(
  `^v?${NUMBER}(?:\\.${NUMBER})?(?:\\.${NUMBER})?(?:-(${IDS}))?(?:[_+](${IDS}))?$`,
)

export interface TagVersion {
  version: SemVer
  /** Written with fewer than three parts (`v1`, `1.2`), read as 1.0.0, 1.2.0. */
  partial: boolean
}

/**
 * The version a tag names, or null. A `v` prefix is allowed (`v1.2.3`), and so are partial
 * versions (`v1` is 1.0.0, `1.2` is 1.2.0), as Masterminds/semver reads them for Flux. `_` stands
 * for `+`, as Helm writes build metadata in OCI tags (`1.2.3_build.5` is 1.2.3+build.5), since
 * `+` is not allowed in a tag. Leading zeros (`01.2.3`) and a fourth part (`1.0.0.1`) are not versions.
 */
export function readTagVersion(tag: string): TagVersion | null {
  if (!LOOKS_LIKE_VERSION.test(tag)) return null
  const parts = TAG_VERSION.exec(tag)
  if (parts === null) return null
  const [, major, minor, patch, pre, build] = parts
  const text = `${major}.${minor ?? 0}.${patch ?? 0}${pre ? `-${pre}` : ''}${build ? `+${build}` : ''}`
  const version = parseSemver(text)
  return version === null ? null : { version, partial: patch === undefined }
}

export function parseTagVersion(tag: string): SemVer | null {
  return readTagVersion(tag)?.version ?? null
}

interface ParsedTag {
  version: TagVersion | null
  inRange: boolean
}

/** Higher version wins; build metadata does not count (semver precedence). */
function newerVersion(a: TagVersion, b: TagVersion): number {
  return a.version.compare(b.version)
}

export class SemverPolicy extends BasePolicy {
  readonly needsBuildTime = false
  private readonly range: SemverRange
  private readonly parsed = new Map<string, ParsedTag>()

  constructor(spec: PolicySpec, options?: PolicyOptions) {
    super(spec, options)
    const shown = formatPolicySpec(spec)
    if (spec.pattern.trim() === '') {
      throw new PolicyError(shown, 'the semver range is empty; write semver:* to accept every release')
    }
    try {
      this.range = new SemverRange(spec.pattern)
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error)
      throw new PolicyError(
        shown,
        `not a valid semver range (${detail}); write a range such as ^1.2, ~0.4, 1.2.x or >=1.0, <2.0`,
      )
    }
  }

  /** Pre-releases pass only comparators that name a pre-release themselves (Masterminds). */
  protected passes(value: string): boolean {
    return this.parse(value).inRange
  }

  order(tags: readonly string[]): Ordering {
    const keyed: { tag: string; key: TagVersion }[] = []
    const unordered: string[] = []
    for (const tag of tags) {
      const value = this.valueOf(tag)
      const version = value === undefined ? null : this.parse(value).version
      if (version === null) unordered.push(tag)
      else keyed.push({ tag, key: version })
    }
    return { ...rankByKey(keyed, newerVersion, this.tieBreak), unordered, unorderedWhy: 'no version' }
  }

  /**
   * Equal versions: a full version beats a partial one (`1.2.0` over `1.2`, as Flux v1 sorted them),
   * then the longer tag (`v1.2.3` over `1.2.3`), then the lexically greater. They still order equal,
   * so a current tag never moves to another spelling of its own version.
   */
  private readonly tieBreak = (a: string, b: string): number => {
    const full = (tag: string) => Number(this.parse(this.valueOf(tag) ?? tag).version?.partial === false)
    return full(a) - full(b) || a.length - b.length || compareStrings(a, b)
  }

  private parse(value: string): ParsedTag {
    let entry = this.parsed.get(value)
    if (entry === undefined) {
      if (this.parsed.size >= CACHE_LIMIT) this.parsed.clear()
      const version = readTagVersion(value)
      entry = { version, inRange: version !== null && this.range.test(version.version) }
      this.parsed.set(value, entry)
    }
    return entry
  }
}
