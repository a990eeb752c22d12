// Between discovery and observation: each target gets its compiled tag policy, and the targets' image
// repositories become one observation request each. The plan, the daemon's scan handler and `imagebot images`
// all decide through these, so a target is judged the same way whichever of them asks.
import { createPolicy, type Decision, decide, type TagPolicy } from '../../policies/index.js'
import { formatPolicySpec } from '../../policies/spec.js'
import { canonicalRepository, repositoryKey } from '../image/reference.js'
import type { Problem } from '../problems.js'
import type { RepositoryObservation } from '../registry/observe.js'
import type { Target } from '../types.js'

export interface PolicedTarget {
  target: Target
  policy: TagPolicy
}

/** The policy's decision for one target on what the registry showed. */
export function decideTarget(
  { target, policy }: PolicedTarget,
  observation: RepositoryObservation,
): Decision {
  return decide({
    policy,
    currentTag: target.current.tag,
    tags: observation.tags,
    buildInfo: (tag) => observation.metadata.get(tag),
  })
}

/**
 * decideTarget for the targets of one run, each distinct question decided once: the decision depends only on
 * the compiled policy (attachPolicies shares one per filter), the observation and the current tag, and many
 * targets often ask the same (the bench's 200 Deployments over 50 images: 50 questions, 9 → 3 ms of a plan).
 * Callers only read decisions, so targets may share one.
 */
export function decisionsOfRun(): typeof decideTarget {
  const memo = new Map<TagPolicy, Map<RepositoryObservation, Map<string | undefined, Decision>>>()
  return (entry, observation) => {
    const byTag = within(
      within(memo, entry.policy, () => new Map()),
      observation,
      () => new Map(),
    )
    const tag = entry.target.current.tag
    const known = byTag.get(tag)
    if (known) return known
    const decision = decideTarget(entry, observation)
    byTag.set(tag, decision)
    return decision
  }
}

function within<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  const found = map.get(key)
  if (found !== undefined) return found
  const made = make()
  map.set(key, made)
  return made
}

/** Compiles each distinct filter once; an invalid filter is an error for its container, not for the run. */
export function attachPolicies(
  targets: Target[],
  excludeTags: string[] | undefined,
  errors: Problem[],
): PolicedTarget[] {
  const compiled = new Map<string, TagPolicy | Error>()
  const policed: PolicedTarget[] = []
  for (const target of targets) {
    const specText = formatPolicySpec(target.policy)
    let policy = compiled.get(specText)
    if (policy === undefined) {
      try {
        policy = createPolicy(target.policy, { excludeTags })
      } catch (error) {
        policy = error instanceof Error ? error : new Error(String(error))
      }
      compiled.set(specText, policy)
    }
    if (policy instanceof Error) {
      errors.push({
        code: 'POLICY_INVALID',
        file: target.file,
        workload: target.workload,
        container: target.container,
        message: `${target.workload} container ${target.container}: ${policy.message}; fix the tag filter annotation`,
      })
      continue
    }
    policed.push({ target, policy })
  }
  return policed
}

/**
 * One request per unique repository; metadata only for tags some build-time policy would consider,
 * and for the current tags of build-time targets (listed or not: the decision needs their times).
 */
export function observationRequests(policed: PolicedTarget[]) {
  interface Entry {
    image: ReturnType<typeof canonicalRepository>
    policies: TagPolicy[]
    pinned: TagPolicy[]
    currentTags: Set<string>
  }
  const byKey = new Map<string, Entry>()
  for (const { target, policy } of policed) {
    const key = repositoryKey(target.current)
    const entry = byKey.get(key) ?? {
      image: canonicalRepository(target.current),
      policies: [],
      pinned: [],
      currentTags: new Set(),
    }
    if (!entry.policies.includes(policy)) entry.policies.push(policy)
    // A digest is known only from metadata: ask for it on every tag the policy may pick.
    if (wantsDigest(target) && !entry.pinned.includes(policy)) entry.pinned.push(policy)
    const current = target.current.tag
    if (policy.needsBuildTime && current !== undefined && policy.matches(current))
      entry.currentTags.add(current)
    byKey.set(key, entry)
  }
  return [...byKey].map(([key, { image, policies, pinned, currentTags }]) => {
    const timed = [
      ...policies.filter((policy) => policy.needsBuildTime && !pinned.includes(policy)),
      ...pinned,
    ]
    return {
      key,
      image,
      wantsMetadata: (tag: string) => timed.some((policy) => policy.matches(tag)),
      alsoTags: [...currentTags],
    }
  })
}

/** A digest is written too: the setter asks for it, or pins it beside the tag. */
export function wantsDigest(target: Target): boolean {
  return target.setter !== undefined && (target.setter.field === 'digest' || target.setter.pinDigest)
}
