// Flux v1 policy names (automated, locked, tag.<container>, …) and the annotation keys that spell them.
// Flux v1 renamed its prefix from `flux.weave.works/` to `fluxcd.io/` in 1.13 and read both; a key already in
// the file keeps its spelling, and a new key takes the prefix the workload already uses.

/** Policies that are on when their annotation is exactly "true". */
export const BOOLEAN_POLICIES = ['automated', 'locked', 'ignore'] as const
/** Who locked a workload and why (Flux v1 `locked_user`, `locked_msg`); removed with the lock. */
export const LOCK_DETAILS = ['locked_msg', 'locked_user'] as const

export const NEW_PREFIX = 'fluxcd.io/'
const OLD_PREFIX = 'flux.weave.works/'
const FILTER_PREFIX = 'filter.fluxcd.io/'
const TAG = 'tag.'

/** `tag.<container>`: the tag filter policy of one container. */
export function tagPolicy(container: string): string {
  return `${TAG}${container}`
}

/** Every annotation key that means `policy`, newest spelling first. */
export function spellings(policy: string): string[] {
  const keys = [NEW_PREFIX + policy, OLD_PREFIX + policy]
  if (policy.startsWith(TAG)) keys.push(FILTER_PREFIX + policy.slice(TAG.length))
  return keys
}

/**
 * The key a new annotation for `policy` gets: the prefix the workload's annotations already use
 * (`flux.weave.works/` stays `flux.weave.works/`), `fluxcd.io/` when they use none or both.
 */
export function newKey(policy: string, existingKeys: readonly string[]): string {
  const uses = (prefix: string) => existingKeys.some((key) => key.startsWith(prefix))
  if (policy.startsWith(TAG) && uses(FILTER_PREFIX) && !uses(NEW_PREFIX + TAG) && !uses(OLD_PREFIX + TAG)) {
    return FILTER_PREFIX + policy.slice(TAG.length)
  }
  const prefix = uses(OLD_PREFIX) && !uses(NEW_PREFIX) ? OLD_PREFIX : NEW_PREFIX
  return prefix + policy
}

/** The policy an annotation key stands for, or undefined when it is none of Flux's. */
export function policyOfKey(key: string): string | undefined {
  for (const prefix of [NEW_PREFIX, OLD_PREFIX]) {
    if (key.startsWith(prefix) && key.length > prefix.length) return key.slice(prefix.length)
  }
  if (key.startsWith(FILTER_PREFIX) && key.length > FILTER_PREFIX.length) {
    return TAG + key.slice(FILTER_PREFIX.length)
  }
  return undefined
}

/** Characters an annotation key may hold when written plain (Kubernetes: prefix/name of [A-Za-z0-9._-]). */
const PLAIN_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/

export function isWritableKey(key: string): boolean {
  return PLAIN_KEY.test(key) && !key.endsWith('/') && key.length <= 316
}
