// `glob:PATTERN` (or a bare PATTERN): the whole tag must match; newest build time wins.
import { BasePolicy, type PolicyOptions } from './base.js'
import { orderByBuildTime } from './build-time.js'
import { compileGlob, type TagMatcher } from './glob-match.js'
import type { BuildInfoLookup, Ordering } from './policy.js'
import { formatPolicySpec, type PolicySpec } from './spec.js'

export class GlobPolicy extends BasePolicy {
  readonly needsBuildTime = true
  private readonly glob: TagMatcher

  constructor(spec: PolicySpec, options?: PolicyOptions) {
    super(spec, options)
    this.glob = compileGlob(spec.pattern, formatPolicySpec(spec), 'tag policy')
  }

  protected passes(tag: string): boolean {
    return this.glob(tag)
  }

  order(tags: readonly string[], buildInfo?: BuildInfoLookup): Ordering {
    return orderByBuildTime(tags, buildInfo)
  }
}
