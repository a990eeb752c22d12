// Build metadata for one tag through the cache. Steady state (tag known, entry younger than the
// TTL, details cached) costs no request at all; a stale entry costs one HEAD; a new tag costs one
// manifest GET (+1 for the platform manifest of an index) and one config blob GET, and the blob
// is skipped when another tag or repository already brought the same digest. With a shared store (the
// other processes of a distributed daemon), a tag or digest missing here is looked up there before any
// request, and what the registry answered is written to both.
import type { RepositoryName } from '../image/reference.js'
import { repositoryKey } from '../image/reference.js'
import { type DetailsEntry, MetadataCache, type TagEntry } from './cache.js'
import {
  fetchImageDetails,
  fetchManifest,
  headManifestDigest,
  isIndex,
  type ManifestJson,
  platformDigest,
} from './manifest.js'
import { parsePlatform } from './platform.js'
import type { SharedMetadataStore } from './shared-store.js'
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
  /** Second tier, already guarded (never rejects); absent outside a distributed daemon. */
  shared?: SharedMetadataStore
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
    const details = await knownDetails(deps, known, platform)
    if (details) return withDetails(known, details)
  }
  const what = `${key}:${tag}`
  const manifest = await fetchManifest(transport, image.repository, tag)
  const entry: TagEntry = { digest: manifest.digest, checkedAt: deps.now() }
  deps.cache.setTag(key, tag, entry)
  let details = await knownDetails(deps, manifest.digest, platform)
  if (!details) {
    const detailsKey = MetadataCache.detailsKey(
      manifest.digest,
      isIndex(manifest.json) ? platform : undefined,
    )
    const fetchOnce = () => fetchDetails(transport, image.repository, manifest.json, what)
    details = await sharedDetails(deps, detailsKey, key, fetchOnce)
  }
  // After the details, so a process that finds this tag in the shared store finds its details too.
  await deps.shared?.setTag(key, tag, entry)
  return withDetails(manifest.digest, details)
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
  await deps.shared?.setDetails(detailsKey, entry)
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
  const entry = await knownEntry(deps, key, tag)
  if (!entry) return undefined
  if (isFresh(deps, entry)) return entry.digest
  const current = await headManifestDigest(transport, image.repository, tag)
  if (current !== entry.digest) return undefined
  const confirmed: TagEntry = { digest: current, checkedAt: deps.now() }
  deps.cache.setTag(key, tag, confirmed)
  await deps.shared?.setTag(key, tag, confirmed)
  return current
}

/** The local entry when fresh, else the more recently checked of the local and the shared one. */
async function knownEntry(deps: MetadataDeps, key: string, tag: string): Promise<TagEntry | undefined> {
  const local = deps.cache.getTag(key, tag)
  if (!deps.shared || (local && isFresh(deps, local))) return local
  const shared = await deps.shared.getTag(key, tag)
  if (!shared || (local && local.checkedAt >= shared.checkedAt)) return local
  deps.cache.setTag(key, tag, shared)
  return shared
}

function isFresh(deps: MetadataDeps, entry: TagEntry): boolean {
  return deps.now() - entry.checkedAt < deps.tagTtlMs
}

/** Details of a digest (or of its platform image, for an index): local cache, then the shared store. */
async function knownDetails(
  deps: MetadataDeps,
  digest: string,
  platform: string,
): Promise<DetailsEntry | undefined> {
  const keys = [digest, MetadataCache.detailsKey(digest, platform)]
  for (const key of keys) {
    const local = deps.cache.getDetails(key)
    if (local) return local
  }
  if (!deps.shared) return undefined
  for (const key of keys) {
    const shared = await deps.shared.getDetails(key)
    if (shared) {
      deps.cache.setDetails(key, shared)
      return shared
    }
  }
  return undefined
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
