// `glob:PATTERN` (or a bare PATTERN): the whole tag must match; newest build time wins.
import { BasePolicy, type PolicyOptions } from './base.js'
import { orderByBuildTime } from './build-time.js'
import { compileGlob, type TagMatcher } from './glob-match.js'
import type { BuildInfoLookup, Ordering } from './policy.js'
import { PolicyError } from './policy.js'
import { closestPrefix, formatPolicySpec, type PolicySpec } from './spec.js'

export class GlobPolicy extends BasePolicy {
  readonly needsBuildTime = true
  private readonly glob: TagMatcher

  constructor(spec: PolicySpec, options?: PolicyOptions) {
    super(spec, options)
    // No tag contains ":", so `semvr:~1.2` is a mistyped prefix, not a glob that never matches.
    const colon = spec.pattern.indexOf(':')
    if (colon >= 0) {
      const prefix = spec.pattern.slice(0, colon)
      throw new PolicyError(
        spec.pattern,
        `unknown filter prefix "${prefix}:"; did you mean \`${closestPrefix(prefix)}:\`? ` +
          `(known: glob:, semver:, regex:, regexp:, alphabetical:, numerical:)`,
      )
    }
    this.glob = compileGlob(spec.pattern, formatPolicySpec(spec), 'tag policy')
  }

  protected passes(tag: string): boolean {
    return this.glob(tag)
  }

  order(tags: readonly string[], buildInfo?: BuildInfoLookup): Ordering {
    return orderByBuildTime(tags, buildInfo)
  }
}
