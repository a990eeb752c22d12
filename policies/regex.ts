// `regex:RE` / `regexp:RE`: an unanchored RE2 (Go) expression, as Flux v1 read it. Without a named
// group the newest build time wins; with one, the FIRST named group orders the tags (no build times).
import { BasePolicy, type PolicyOptions } from './base.js'
import { orderByBuildTime } from './build-time.js'
import type { BuildInfoLookup, Ordering } from './policy.js'
import { compareStrings, PolicyError, rankByKey } from './policy.js'
import { compileRe2, type Re2Pattern } from './re2.js'
import { formatPolicySpec, type PolicySpec } from './spec.js'

const DIGITS = /^\d+$/

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

  constructor(spec: PolicySpec, options?: PolicyOptions) {
    super(spec, options)
    const shown = formatPolicySpec(spec)
    if (spec.pattern === '') throw new PolicyError(shown, 'the regular expression is empty')
    this.regex = compileRe2(spec.pattern, shown)
    this.orderGroup = this.regex.names[0]
    this.needsBuildTime = this.orderGroup === undefined
  }

  protected passes(value: string): boolean {
    return this.regex.test(value)
  }

  order(tags: readonly string[], buildInfo?: BuildInfoLookup): Ordering {
    if (this.orderGroup === undefined) return orderByBuildTime(tags, buildInfo)
    return this.orderByGroup(tags, this.orderGroup)
  }

  /** Numeric when every captured value is digits (any length), lexical otherwise. */
  private orderByGroup(tags: readonly string[], group: { name: string; index: number }): Ordering {
    const keyed: { tag: string; key: string }[] = []
    const unordered: string[] = []
    for (const tag of tags) {
      const value = this.valueOf(tag)
      const captured = value === undefined ? undefined : this.regex.exec(value)?.[group.index]
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
