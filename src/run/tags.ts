// `imagebot tags`: the check a user runs before annotating. Lists one repository's tags that pass the
// policy, newest first for that policy, and says which tag the policy would pick and why. The observation
// and the decision are the ones `plan` makes (every listed tag counts, metadata only where the policy needs
// it), so counts and reasons read the same in both.
import { createPolicy, decide } from '../../policies/index.js'
import { formatPolicySpec, type PolicySpec } from '../../policies/spec.js'
import { canonicalRepository, type ImageRef, repositoryKey } from '../image/reference.js'
import type { RegistryClient } from '../registry/client.js'
import { type ObserveRequest, observe } from '../registry/observe.js'

export interface TagsReport {
  image: string
  policy: string
  pick: string | null
  reason: string
  /** Valid tags the registry lists, and how many of them pass the policy. */
  tagsSeen: number
  candidates: number
  tags: { tag: string; created?: string; digest?: string }[]
  errors: string[]
}

export async function tagsReport(
  client: RegistryClient,
  image: ImageRef,
  spec: PolicySpec,
  excludeTags?: string[],
): Promise<TagsReport> {
  const policy = createPolicy(spec, { excludeTags })
  const repository = canonicalRepository(image)
  const wantsMetadata = (tag: string) => policy.needsBuildTime && policy.matches(tag)
  const request: ObserveRequest = { image: repository, wantsMetadata }
  // The pick competes with the current tag, listed or not, as in a plan: it needs its build time too.
  if (policy.needsBuildTime && image.tag !== undefined && policy.matches(image.tag))
    request.alsoTags = [image.tag]
  const observations = await observe(client, [request])
  const observation = observations.get(repositoryKey(repository))
  const listed = observation?.tags ?? []
  const buildInfo = (tag: string) => observation?.metadata.get(tag)
  const ordering = policy.order(
    listed.filter((tag) => policy.matches(tag)),
    buildInfo,
  )
  const decision = decide({ policy, currentTag: image.tag, tags: listed, buildInfo })
  const pick = decision.next ?? (decision.outcome === 'up-to-date' ? (image.tag ?? null) : null)
  const errors = observation?.problems.map((problem) => problem.message) ?? []
  return {
    image: image.written,
    policy: formatPolicySpec(spec),
    pick,
    // A registry that could not be read lists nothing: say that, not "no tags".
    reason:
      errors.length > 0 && listed.length === 0
        ? 'the tags could not be listed (see the error)'
        : decision.reason,
    tagsSeen: decision.tagsSeen,
    candidates: decision.candidates,
    tags: [...ordering.ranked, ...ordering.unordered].map((tag) => {
      const metadata = observation?.metadata.get(tag)
      return {
        tag,
        ...(metadata?.created !== undefined && { created: metadata.created }),
        ...(metadata?.digest !== undefined && { digest: metadata.digest }),
      }
    }),
    errors,
  }
}
