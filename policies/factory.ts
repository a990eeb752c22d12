// Picks the policy for a spec. Policies are immutable, so one instance serves every target with
// the same spec and exclusions: patterns compile once, parsed versions are shared.
import { AlphabeticalPolicy } from './alphabetical.js'
import { DEFAULT_EXCLUDED_TAGS, type PolicyOptions } from './base.js'
import { GlobPolicy } from './glob.js'
import { NumericalPolicy } from './numerical.js'
import { PolicyError, type TagPolicy } from './policy.js'
import { RegexPolicy } from './regex.js'
import { SemverPolicy } from './semver.js'
import { formatPolicySpec, type PolicySpec } from './spec.js'

const INSTANCE_LIMIT = 256
const instances = new Map<string, TagPolicy>()

/** The policy for a spec; throws PolicyError (code POLICY_INVALID) when the pattern is invalid. */
export function createPolicy(spec: PolicySpec, options: PolicyOptions = {}): TagPolicy {
  const excludeTags = options.excludeTags ?? DEFAULT_EXCLUDED_TAGS
  const key = JSON.stringify([
    spec.kind,
    spec.pattern,
    spec.order,
    spec.filterTags,
    spec.label,
    spec.excludePatterns,
    excludeTags,
  ])
  let policy = instances.get(key)
  if (policy === undefined) {
    policy = construct(spec, { excludeTags })
    if (instances.size >= INSTANCE_LIMIT) instances.clear()
    instances.set(key, policy)
  }
  return policy
}

function construct(spec: PolicySpec, options: PolicyOptions): TagPolicy {
  // Copy the spec so that a caller mutating theirs cannot change a shared policy.
  const own: PolicySpec = Object.freeze({
    kind: spec.kind,
    pattern: spec.pattern,
    ...(spec.order !== undefined && { order: spec.order }),
    ...(spec.filterTags !== undefined && {
      filterTags: Object.freeze({ pattern: spec.filterTags.pattern, extract: spec.filterTags.extract }),
    }),
    ...(spec.label !== undefined && { label: spec.label }),
    ...(spec.excludePatterns !== undefined && { excludePatterns: Object.freeze([...spec.excludePatterns]) }),
  })
  switch (own.kind) {
    case 'glob':
      return new GlobPolicy(own, options)
    case 'semver':
      return new SemverPolicy(own, options)
    case 'regex':
      return new RegexPolicy(own, options)
    case 'alphabetical':
      return new AlphabeticalPolicy(own, options)
    case 'numerical':
      return new NumericalPolicy(own, options)
    default:
      throw new PolicyError(
        formatPolicySpec(own),
        `unknown policy kind "${String(own.kind)}"; use glob:, semver:, regex:, alphabetical: or numerical:`,
      )
  }
}
