// What every policy shares: the tag grammar, the `latest` rule and the exclusion globs. A policy
// adds its own filter (`passes`) and ordering (`order`).
import { TagFilter } from './filter-tags.js'
import { compileGlob, type TagMatcher } from './glob-match.js'
import { type BuildInfoLookup, type Ordering, PolicyError, type Rejection, type TagPolicy } from './policy.js'
import { compileRe2 } from './re2.js'
import { formatPolicySpec, type PolicySpec } from './spec.js'

/** Signatures, attestations and SBOMs that cosign and friends push as tags. */
export const DEFAULT_EXCLUDED_TAGS: readonly string[] = ['*.sig', '*.att', '*.sbom']

export interface PolicyOptions {
  /** Globs of tags that are never candidates; replaces DEFAULT_EXCLUDED_TAGS when given. */
  excludeTags?: readonly string[]
}

// The distribution tag grammar, as in src/image/reference.ts (policies/ imports nothing from src/).
// A registry could list anything; only a valid tag may reach a YAML file.
const TAG = /^[\w][\w.-]{0,127}$/

export abstract class BasePolicy implements TagPolicy {
  abstract readonly needsBuildTime: boolean
  readonly excludeTags: readonly string[]
  readonly excludePatterns: readonly string[]
  private readonly exclusions: TagMatcher[]
  private readonly allowsLatest: boolean
  private readonly tagFilter: TagFilter | undefined

  constructor(
    readonly spec: PolicySpec,
    options: PolicyOptions = {},
  ) {
    this.excludeTags = [...(options.excludeTags ?? DEFAULT_EXCLUDED_TAGS)]
    this.excludePatterns = [...(spec.excludePatterns ?? [])]
    this.exclusions = [
      ...this.excludeTags.map((glob) => compileGlob(glob, glob, 'tag exclusion')),
      ...this.excludePatterns.map((pattern) => {
        const re2 = compileRe2(pattern, pattern, 'tag exclusion pattern')
        return (tag: string) => re2.test(tag)
      }),
    ]
    this.allowsLatest = spec.kind === 'glob' && spec.pattern === 'latest' && spec.filterTags === undefined
    this.tagFilter = spec.filterTags && new TagFilter(spec.filterTags, formatPolicySpec(spec))
    if (spec.order !== undefined && spec.kind !== 'alphabetical' && spec.kind !== 'numerical') {
      throw new PolicyError(
        formatPolicySpec(spec),
        `an order applies to alphabetical and numerical policies only`,
      )
    }
  }

  matches(tag: string): boolean {
    return this.rejection(tag) === undefined
  }

  rejection(tag: string): Rejection | undefined {
    if (typeof tag !== 'string' || !TAG.test(tag)) return 'invalid'
    const value = this.valueOf(tag)
    if (value === undefined || !this.passes(value)) return 'filter'
    if (!this.allowsLatest && tag.length === 6 && tag.toLowerCase() === 'latest') return 'latest'
    for (const excluded of this.exclusions) if (excluded(tag)) return 'excluded'
    return undefined
  }

  /**
   * What the policy filters and orders: the tag itself, or the value `filterTags` extracts from it
   * (undefined when its pattern does not select the tag).
   */
  protected valueOf(tag: string): string | undefined {
    return this.tagFilter === undefined ? tag : this.tagFilter.valueOf(tag)
  }

  /** The policy's own filter, applied to the value of a valid tag. */
  protected abstract passes(value: string): boolean

  abstract order(tags: readonly string[], buildInfo?: BuildInfoLookup): Ordering
}
