// `regex:RE` / `regexp:RE`: an unanchored JavaScript RegExp (as Flux v1). Without a named group
// the newest build time wins; with one, the FIRST named group orders the tags (no build times).
import { BasePolicy, type PolicyOptions } from './base.js'
import { orderByBuildTime } from './build-time.js'
import type { BuildInfoLookup, Ordering } from './policy.js'
import { compareStrings, PolicyError, rankByKey } from './policy.js'
import { formatPolicySpec, type PolicySpec } from './spec.js'

const DIGITS = /^\d+$/

/**
 * The first named group of a valid pattern, in pattern order. Appending an empty alternative
 * makes the expression match '' and so report every group name, in order, without parsing it.
 */
export function firstNamedGroup(pattern: string): string | undefined {
  const groups = new RegExp(`(?:${pattern})|`).exec('')?.groups
  return groups ? Object.keys(groups)[0] : undefined
}

/** Whole numbers of any length: fewer significant digits is smaller, then digit by digit. */
function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '')
  const y = b.replace(/^0+(?=\d)/, '')
  return x.length - y.length || compareStrings(x, y)
}

export class RegexPolicy extends BasePolicy {
  readonly needsBuildTime: boolean
  private readonly regex: RegExp
  private readonly orderGroup: string | undefined

  constructor(spec: PolicySpec, options?: PolicyOptions) {
    super(spec, options)
    const shown = formatPolicySpec(spec)
    if (spec.pattern === '') throw new PolicyError(shown, 'the regular expression is empty')
    try {
      this.regex = new RegExp(spec.pattern)
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error)
      throw new PolicyError(shown, `not a valid JavaScript regular expression (${detail})`)
    }
    this.orderGroup = firstNamedGroup(spec.pattern)
    this.needsBuildTime = this.orderGroup === undefined
  }

  protected passes(tag: string): boolean {
    return this.regex.test(tag)
  }

  order(tags: readonly string[], buildInfo?: BuildInfoLookup): Ordering {
    if (this.orderGroup === undefined) return orderByBuildTime(tags, buildInfo)
    return this.orderByGroup(tags, this.orderGroup)
  }

  /** Numeric when every captured value is digits (any length), lexical otherwise. */
  private orderByGroup(tags: readonly string[], group: string): Ordering {
    const keyed: { tag: string; key: string }[] = []
    const unordered: string[] = []
    for (const tag of tags) {
      const captured = this.regex.exec(tag)?.groups?.[group]
      if (captured === undefined) unordered.push(tag)
      else keyed.push({ tag, key: captured })
    }
    const numeric = keyed.every((entry) => DIGITS.test(entry.key))
    return {
      ...rankByKey(keyed, numeric ? compareDigits : compareStrings),
      unordered,
      unorderedWhy: `nothing captured in the group "${group}"`,
    }
  }
}
