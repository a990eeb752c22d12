// What alphabetical and numerical policies share: Flux v2's `order`, where `asc` (the default)
// means the greatest value wins and `desc` the smallest; every tag passes, no build times needed.
import { BasePolicy, type PolicyOptions } from './base.js'
import type { Newer, Ordering } from './policy.js'
import { compareStrings, PolicyError, rankByKey } from './policy.js'
import { formatPolicySpec, type PolicySpec } from './spec.js'

export abstract class OrderedPolicy<K> extends BasePolicy {
  readonly needsBuildTime = false
  private readonly newer: Newer<K>

  constructor(spec: PolicySpec, options?: PolicyOptions) {
    super(spec, options)
    const order: unknown = spec.order
    if (spec.pattern !== '' || (order !== undefined && order !== 'asc' && order !== 'desc')) {
      const written = spec.pattern !== '' ? spec.pattern : String(order)
      throw new PolicyError(formatPolicySpec(spec), `"${written}" is not an order; write asc or desc`)
    }
    const ascending = this.compare.bind(this)
    this.newer = order === 'desc' ? (a, b) => ascending(b, a) : ascending
  }

  protected passes(): boolean {
    return true
  }

  /** The order key of a value, or undefined when it has none. */
  protected abstract keyOf(value: string): K | undefined
  /** Ascending comparison of two keys. */
  protected abstract compare(a: K, b: K): number

  order(tags: readonly string[]): Ordering {
    const keyed: { tag: string; key: K }[] = []
    const unordered: string[] = []
    for (const tag of tags) {
      const value = this.valueOf(tag)
      const key = value === undefined ? undefined : this.keyOf(value)
      if (key === undefined) unordered.push(tag)
      else keyed.push({ tag, key })
    }
    // Tags whose values order equal (two tags extracting one value) fall to the lexically greater
    // tag, so the pick never depends on list order (Flux keeps whichever its map saw last).
    return { ...rankByKey(keyed, this.newer, compareStrings), unordered, unorderedWhy: this.unorderedWhy }
  }

  protected abstract readonly unorderedWhy: string
}
