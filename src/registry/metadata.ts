// Build metadata for one tag through the cache. Steady state (tag known, entry younger than the
// TTL, details cached) costs no request at all; a stale entry costs one HEAD; a new tag costs one
// manifest GET (+1 for the platform manifest of an index) and one config blob GET, and the blob
// is skipped when another tag or repository already brought the same digest.
import type { RepositoryName } from '../image/reference.js'
import { repositoryKey } from '../image/reference.js'
import { type DetailsEntry, MetadataCache } from './cache.js'
import {
  fetchImageDetails,
  fetchManifest,
  headManifestDigest,
  isIndex,
  type ManifestJson,
  platformDigest,
} from './manifest.js'
import { parsePlatform } from './platform.js'
import type { RegistryTransport } from './transport.js'

export interface TagMetadata {
  /** Digest of the tag's manifest (the index for multi-arch images): what a pin would use. */
  digest: string
  /** RFC 3339 build time: the org.opencontainers.image.created label, else the config's created. */
  created?: string
  labels?: Record<string, string>
}

export interface MetadataDeps {
  cache: MetadataCache
  tagTtlMs: number
  now: () => number
  /** Detail fetches in flight by details key, with the repository that started each. */
  inFlight: Map<string, { owner: string; details: Promise<DetailsEntry> }>
}

export async function tagMetadata(
  deps: MetadataDeps,
  transport: RegistryTransport,
  image: RepositoryName,
  tag: string,
): Promise<TagMetadata> {
  const key = repositoryKey(image)
  const platform = transport.settings.platform
  const known = await knownDigest(deps, transport, image, tag)
  if (known) {
    const details = lookupDetails(deps.cache, known, platform)
    if (details) return withDetails(known, details)
  }
  const what = `${key}:${tag}`
  const manifest = await fetchManifest(transport, image.repository, tag)
  deps.cache.setTag(key, tag, { digest: manifest.digest, checkedAt: deps.now() })
  const cached = lookupDetails(deps.cache, manifest.digest, platform)
  if (cached) return withDetails(manifest.digest, cached)
  const detailsKey = MetadataCache.detailsKey(manifest.digest, isIndex(manifest.json) ? platform : undefined)
  const fetchOnce = () => fetchDetails(transport, image.repository, manifest.json, what)
  return withDetails(manifest.digest, await sharedDetails(deps, detailsKey, key, fetchOnce))
}

/**
 * One fetch per digest at a time, shared by every repository that needs it (parallel repositories
 * often hold the same images). Another repository's failure (its blob missing, a fault on its
 * path) is not this one's: it then fetches for itself.
 */
async function sharedDetails(
  deps: MetadataDeps,
  detailsKey: string,
  repositoryKey: string,
  fetch: () => Promise<DetailsEntry>,
): Promise<DetailsEntry> {
  const shared = deps.inFlight.get(detailsKey)
  if (shared?.owner === repositoryKey) return shared.details
  if (shared) {
    try {
      return await shared.details
    } catch {
      // fall through to a fetch of our own
    }
  }
  const details = fetch()
  if (!deps.inFlight.has(detailsKey)) {
    deps.inFlight.set(detailsKey, { owner: repositoryKey, details })
    const forget = () => deps.inFlight.delete(detailsKey)
    details.then(forget, forget)
  }
  const entry = await details
  deps.cache.setDetails(detailsKey, entry)
  return entry
}

/** The cached digest if still trusted, re-validated by HEAD once the TTL has passed. */
async function knownDigest(
  deps: MetadataDeps,
  transport: RegistryTransport,
  image: RepositoryName,
  tag: string,
): Promise<string | undefined> {
  const key = repositoryKey(image)
  const entry = deps.cache.getTag(key, tag)
  if (!entry) return undefined
  if (deps.now() - entry.checkedAt < deps.tagTtlMs) return entry.digest
  const current = await headManifestDigest(transport, image.repository, tag)
  if (current !== entry.digest) return undefined
  deps.cache.setTag(key, tag, { digest: current, checkedAt: deps.now() })
  return current
}

function lookupDetails(cache: MetadataCache, digest: string, platform: string): DetailsEntry | undefined {
  return cache.getDetails(digest) ?? cache.getDetails(MetadataCache.detailsKey(digest, platform))
}

async function fetchDetails(
  transport: RegistryTransport,
  repository: string,
  manifest: ManifestJson,
  what: string,
): Promise<DetailsEntry> {
  if (!isIndex(manifest)) return fetchImageDetails(transport, repository, manifest, what)
  const platform = parsePlatform(transport.settings.platform)
  const childDigest = platformDigest(manifest, platform, what)
  const child = await fetchManifest(transport, repository, childDigest)
  // A nested index is legal but unheard of in practice: report no build time rather than guess.
  if (isIndex(child.json)) return {}
  return fetchImageDetails(transport, repository, child.json, `${what} (${transport.settings.platform})`)
}

function withDetails(digest: string, details: DetailsEntry): TagMetadata {
  const metadata: TagMetadata = { digest }
  if (details.created !== undefined) metadata.created = details.created
  if (details.labels !== undefined) metadata.labels = details.labels
  return metadata
}
