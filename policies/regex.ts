// `regex:RE` / `regexp:RE`: an unanchored RE2 (Go) expression, as Flux v1 read it. Without a named
// group the newest build time wins; with one, the FIRST named group orders the tags (no build times).
import { BasePolicy, type PolicyOptions } from './base.js'
import { orderByBuildTime } from './build-time.js'
import type { BuildInfoLookup, Ordering } from './policy.js'
import { compareStrings, PolicyError, rankByKey } from './policy.js'
import { compileRe2, type Re2Pattern } from './re2.js'
import { formatPolicySpec, type PolicySpec } from './spec.js'

const DIGITS = /^\d+$/
// One policy instance serves every target with the same filter, and decide() asks about each
// listed tag for every one of them: RE2 results are kept per value, within a bound.
const CACHE_LIMIT = 4_096

/** The first named group of a valid pattern, in pattern order; `(?P<n>…)` and `(?<n>…)` alike. */
export function firstNamedGroup(pattern: string): string | undefined {
  return compileRe2(pattern, pattern).names[0]?.name
}

/** Whole numbers of any length: fewer significant digits is smaller, then digit by digit. */
function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '')
  const y = b.replace(/^0+(?=\d)/, '')
  return x.length - y.length || compareStrings(x, y)
}

export class RegexPolicy extends BasePolicy {
  readonly needsBuildTime: boolean
  private readonly regex: Re2Pattern
  private readonly orderGroup: { name: string; index: number } | undefined
  /** value → the first named group's text ('' when it took no part), or null when nothing matched. */
  private readonly results = new Map<string, string | undefined | null>()

  constructor(spec: PolicySpec, options?: PolicyOptions) {
    super(spec, options)
    const shown = formatPolicySpec(spec)
    if (spec.pattern === '') throw new PolicyError(shown, 'the regular expression is empty')
    this.regex = compileRe2(spec.pattern, shown)
    this.orderGroup = this.regex.names[0]
    this.needsBuildTime = this.orderGroup === undefined
  }

  protected passes(value: string): boolean {
    return this.match(value) !== null
  }

  /** null when the pattern does not match; else what the ordering group captured (if any). */
  private match(value: string): string | undefined | null {
    let result = this.results.get(value)
    if (result === undefined && !this.results.has(value)) {
      if (this.results.size >= CACHE_LIMIT) this.results.clear()
      const found = this.orderGroup === undefined ? this.regex.test(value) || null : this.regex.exec(value)
      result = found === null ? null : found === true ? undefined : found[this.orderGroup?.index ?? 0]
      this.results.set(value, result)
    }
    return result
  }

  order(tags: readonly string[], buildInfo?: BuildInfoLookup): Ordering {
    if (this.orderGroup === undefined) return orderByBuildTime(tags, buildInfo)
    return this.orderByGroup(tags, this.orderGroup)
  }

  /** Numeric when every captured value is digits (any length), lexical otherwise. */
  private orderByGroup(tags: readonly string[], group: { name: string }): Ordering {
    const keyed: { tag: string; key: string }[] = []
    const unordered: string[] = []
    for (const tag of tags) {
      const value = this.valueOf(tag)
      const captured = value === undefined ? undefined : (this.match(value) ?? undefined)
      if (captured === undefined) unordered.push(tag)
      else keyed.push({ tag, key: captured })
    }
    const numeric = keyed.every((entry) => DIGITS.test(entry.key))
    return {
      ...rankByKey(keyed, numeric ? compareDigits : compareStrings),
      unordered,
      unorderedWhy: `nothing captured in the group "${group.name}"`,
    }
  }
}
