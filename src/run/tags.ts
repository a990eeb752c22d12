// `imagebot tags`: the check a user runs before annotating. Lists one repository's tags that pass the
// policy, newest first for that policy, and says which tag the policy would pick and why.
import { createPolicy, decide } from '../../policies/index.js'
import { formatPolicySpec, type PolicySpec } from '../../policies/spec.js'
import { canonicalRepository, type ImageRef } from '../image/reference.js'
import type { RegistryClient } from '../registry/client.js'
import { describeTags } from '../registry/observe.js'

export interface TagsReport {
  image: string
  policy: string
  pick: string | null
  reason: string
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
  const observation = await describeTags(client, canonicalRepository(image), policy, image.tag)
  const buildInfo = (tag: string) => observation.metadata.get(tag)
  const ordering = policy.order(observation.tags, buildInfo)
  const decision = decide({ policy, currentTag: image.tag, tags: observation.tags, buildInfo })
  const pick = decision.next ?? (decision.outcome === 'up-to-date' ? (image.tag ?? null) : null)
  return {
    image: image.written,
    policy: formatPolicySpec(spec),
    pick,
    reason: decision.reason,
    tags: [...ordering.ranked, ...ordering.unordered].map((tag) => {
      const metadata = observation.metadata.get(tag)
      return {
        tag,
        ...(metadata?.created !== undefined && { created: metadata.created }),
        ...(metadata?.digest !== undefined && { digest: metadata.digest }),
      }
    }),
    errors: observation.problems.map((problem) => problem.message),
  }
}
