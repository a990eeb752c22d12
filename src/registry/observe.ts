// The observe stage: tags (and build metadata where a policy needs it) for each unique repository.
// Every failure becomes a REGISTRY problem on that repository; one failing repository never
// stops the others, and a repository whose tag list failed reports no tags rather than a part.
import type { RepositoryName } from '../image/reference.js'
import { repositoryKey } from '../image/reference.js'
import type { Problem } from '../problems.js'
import type { RegistryClient } from './client.js'
import { errorMessage, isTransient, registryProblem, toProblem } from './errors.js'
import type { TagMetadata } from './metadata.js'

export interface ObserveRequest {
  /** Canonical repository, from canonicalRepository(). */
  image: RepositoryName
  /** Which tags need build metadata (created, labels, digest); none when absent. */
  wantsMetadata?: (tag: string) => boolean
  /** Which tags to keep at all; applied as pages arrive. All valid tags when absent. */
  keepTag?: (tag: string) => boolean
  /**
   * Tags whose metadata is needed even when the list does not show them: the current tags of
   * build-time targets. A missing or cut-short list never proves a tag is gone, and the cache
   * keyed by digest may still know its build time.
   */
  alsoTags?: readonly string[]
}

export interface RepositoryObservation {
  /** repositoryKey(image), e.g. docker.io/library/nginx. */
  key: string
  /** Valid tags kept by keepTag, in the registry's order (not by age). */
  tags: string[]
  /** How many valid tags the registry listed before keepTag. */
  tagsSeen: number
  /**
   * False when the list failed or stopped early (cross-host Link, page cap): a missing tag is not
   * gone. Absent for observations not made against a registry (given tags), which are complete.
   */
  complete?: boolean
  metadata: Map<string, TagMetadata>
  /** code 'REGISTRY', image = key, transient set. */
  problems: Problem[]
}

/** One repository observed of `total`; for a progress display, never for decisions. */
export type ScanProgress = (done: number, total: number, observation: RepositoryObservation) => void

export interface ObserveOptions {
  onProgress?: ScanProgress
  /** Repositories observed at once; default 8. Requests per registry are bounded separately. */
  concurrency?: number
  /** Metadata fetches at once within one repository; default 8. */
  metadataConcurrency?: number
}

export async function observe(
  client: RegistryClient,
  requests: ObserveRequest[],
  options: ObserveOptions = {},
): Promise<Map<string, RepositoryObservation>> {
  const unique = new Map<string, ObserveRequest>()
  for (const request of requests) unique.set(repositoryKey(request.image), request)
  const results = new Map<string, RepositoryObservation>()
  const total = unique.size
  await forEachLimit([...unique.values()], options.concurrency ?? 8, async (request) => {
    const observation = await observeRepository(client, request, options.metadataConcurrency ?? 8)
    results.set(observation.key, observation)
    options.onProgress?.(results.size, total, observation)
  })
  await client.save()
  return results
}

/** The query the `imagebot tags` command makes for one policy. */
export interface TagQuery {
  matches(tag: string): boolean
  needsBuildTime: boolean
}

/** Tags of one repository that match the query, with build metadata when the policy needs it. */
export async function describeTags(
  client: RegistryClient,
  image: RepositoryName,
  query: TagQuery,
  currentTag?: string,
): Promise<RepositoryObservation> {
  const request: ObserveRequest = { image, keepTag: (tag) => query.matches(tag) }
  if (query.needsBuildTime) {
    request.wantsMetadata = () => true
    // The pick competes with the current tag, listed or not, as in a plan.
    if (currentTag !== undefined && query.matches(currentTag)) request.alsoTags = [currentTag]
  }
  const observation = await observeRepository(client, request, 8)
  await client.save()
  return observation
}

export async function observeRepository(
  client: RegistryClient,
  request: ObserveRequest,
  metadataConcurrency: number,
): Promise<RepositoryObservation> {
  const key = repositoryKey(request.image)
  const observation: RepositoryObservation = {
    key,
    tags: [],
    tagsSeen: 0,
    complete: false,
    metadata: new Map(),
    problems: [],
  }
  let listing: Awaited<ReturnType<RegistryClient['listTags']>>
  try {
    listing = await client.listTags(request.image, request.keepTag)
  } catch (error) {
    observation.problems.push(toProblem(key, 'listing tags failed', error))
    return observation
  }
  observation.tags = listing.tags
  observation.tagsSeen = listing.listed
  observation.complete = listing.complete
  for (const warning of listing.warnings)
    observation.problems.push(registryProblem(key, `${key}: ${warning}`, false))
  const wanted = request.wantsMetadata ? listing.tags.filter(request.wantsMetadata) : []
  const listed = new Set(listing.tags)
  for (const tag of request.alsoTags ?? []) if (!listed.has(tag)) wanted.push(tag)
  // Only a complete listing proves a tag is gone; a partial one must not evict cache entries. A
  // tag some container still runs is kept either way: its build time guards against a downgrade.
  if (listing.complete) await client.retainTags(request.image, new Set(wanted))
  await fetchMetadata(client, request.image, wanted, observation, metadataConcurrency)
  return observation
}

async function fetchMetadata(
  client: RegistryClient,
  image: RepositoryName,
  tags: string[],
  observation: RepositoryObservation,
  concurrency: number,
): Promise<void> {
  // Identical failures (auth, rate limit) are reported once with the tags they hit.
  const failures = new Map<string, { tags: string[]; transient: boolean }>()
  const found = new Map<string, TagMetadata>()
  await forEachLimit(tags, concurrency, async (tag) => {
    try {
      found.set(tag, await client.tagMetadata(image, tag))
    } catch (error) {
      const message = errorMessage(error)
      const failure = failures.get(message) ?? { tags: [], transient: isTransient(error) }
      failure.tags.push(tag)
      failures.set(message, failure)
    }
  })
  // In tag-list order, so output does not depend on which request finished first.
  for (const tag of tags) {
    const metadata = found.get(tag)
    if (metadata) observation.metadata.set(tag, metadata)
  }
  for (const [message, failure] of failures) {
    const shown = failure.tags.slice(0, 5).join(', ') + (failure.tags.length > 5 ? ', …' : '')
    const text = `${observation.key}: build metadata missing for ${failure.tags.length} tag(s) (${shown}): ${message}`
    observation.problems.push(registryProblem(observation.key, text, failure.transient))
  }
}

async function forEachLimit<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++] as T
      await work(item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, lane))
}
