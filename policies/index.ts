// The public API of policies/: parse a filter annotation, create a policy, decide a target.
export { DEFAULT_EXCLUDED_TAGS, type PolicyOptions } from './base.js'
export { buildTimeOf } from './build-time.js'
export type { Decision, DecisionOutcome } from './decision.js'
export { createPolicy } from './factory.js'
export { GlobPolicy } from './glob.js'
export {
  type BuildInfo,
  type BuildInfoLookup,
  type Ordering,
  PolicyError,
  type Rejection,
  type TagPolicy,
} from './policy.js'
export { firstNamedGroup, RegexPolicy } from './regex.js'
export { type DecideInput, decide } from './select.js'
export { parseTagVersion, SemverPolicy } from './semver.js'
export {
  DEFAULT_POLICY,
  formatPolicySpec,
  type PolicyKind,
  type PolicySpec,
  parsePolicySpec,
} from './spec.js'
