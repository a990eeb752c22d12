// Manifests and config blobs: what a tag points at (digest) and when it was built (created,
// labels). Every body is checked against its sha256 digest, so a cut-short or altered body is an
// error rather than wrong metadata.
import { createHash } from 'node:crypto'
import { describeStatus, RegistryError } from './errors.js'
import type { HttpResponse } from './http.js'
import { formatPlatform, type IndexEntry, isAttestation, type Platform, pickPlatform } from './platform.js'
import type { RegistryTransport } from './transport.js'

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const

const ACCEPT = Object.values(MEDIA_TYPES).join(', ')
const IMAGE_CONFIG_TYPES = new Set([
  'application/vnd.oci.image.config.v1+json',
  'application/vnd.docker.container.image.v1+json',
])
const CREATED_LABEL = 'org.opencontainers.image.created'

export interface ManifestJson {
  mediaType?: string
  manifests?: IndexEntry[]
  config?: { mediaType?: string; digest?: string }
}

export interface FetchedManifest {
  digest: string
  json: ManifestJson
}

export interface ImageDetails {
  created?: string
  labels?: Record<string, string>
}

export async function fetchManifest(
  transport: RegistryTransport,
  repository: string,
  reference: string,
): Promise<FetchedManifest> {
  const url = `${transport.settings.endpoint}/v2/${repository}/manifests/${reference}`
  const response = await transport.request({ kind: 'manifest', url, accept: ACCEPT, repository })
  const what = `manifest ${repository}:${reference}`
  expectOk(response, what)
  const digest = verifiedDigest(response, what, reference.startsWith('sha256:') ? reference : undefined)
  return { digest, json: parseJson(response.body, what) as ManifestJson }
}

/** The tag's current digest without a GET (HEAD is not a pull on Docker Hub); undefined if not told. */
export async function headManifestDigest(
  transport: RegistryTransport,
  repository: string,
  reference: string,
): Promise<string | undefined> {
  const url = `${transport.settings.endpoint}/v2/${repository}/manifests/${reference}`
  const response = await transport.request({
    kind: 'manifest',
    method: 'HEAD',
    url,
    accept: ACCEPT,
    repository,
  })
  expectOk(response, `manifest ${repository}:${reference}`)
  const digest = response.headers['docker-content-digest']
  return typeof digest === 'string' && digest.includes(':') ? digest : undefined
}

export function isIndex(json: ManifestJson): boolean {
  return Array.isArray(json.manifests)
}

/** For an index: the digest of the entry for `platform`; throws when the index has none. */
export function platformDigest(json: ManifestJson, platform: Platform, what: string): string {
  const entries = (json.manifests ?? []).filter((entry) => typeof entry?.digest === 'string')
  const picked = pickPlatform(entries, platform)
  if (!picked) {
    const offered = entries.flatMap((entry) =>
      entry.platform?.os && entry.platform.architecture && !isAttestation(entry)
        ? [formatPlatform(entry.platform as Platform)]
        : [],
    )
    throw new RegistryError(
      `${what} has no ${formatPlatform(platform)} image (offers ${offered.join(', ') || 'none'}); set platform for this registry`,
      { transient: false },
    )
  }
  return picked.digest
}

/** created and labels from an image manifest's config blob; nothing for non-image artifacts. */
export async function fetchImageDetails(
  transport: RegistryTransport,
  repository: string,
  manifest: ManifestJson,
  what: string,
): Promise<ImageDetails> {
  const config = manifest.config
  if (typeof config?.digest !== 'string') {
    throw new RegistryError(`${what} is neither an image manifest nor an index`, { transient: false })
  }
  if (config.mediaType && !IMAGE_CONFIG_TYPES.has(config.mediaType)) return {}
  const url = `${transport.settings.endpoint}/v2/${repository}/blobs/${config.digest}`
  const response = await transport.request({ kind: 'blob', url, repository })
  const blobWhat = `config blob of ${what}`
  expectOk(response, blobWhat)
  verifiedDigest(response, blobWhat, config.digest)
  return readImageConfig(parseJson(response.body, blobWhat))
}

export function readImageConfig(json: unknown): ImageDetails {
  const details: ImageDetails = {}
  const root = json as { created?: unknown; config?: { Labels?: unknown } | null }
  const labels = stringRecord(root?.config?.Labels)
  if (labels) details.labels = labels
  const created = validDate(labels?.[CREATED_LABEL]) ?? validDate(root?.created)
  if (created) details.created = created
  return details
}

function validDate(value: unknown): string | undefined {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : undefined
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const entries = Object.entries(value).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  )
  return entries.length > 0 ? Object.fromEntries(entries) : undefined
}

function expectOk(response: HttpResponse, what: string): void {
  if (response.status === 200) return
  const status = describeStatus(response.status, response.body)
  // A listed tag whose manifest is missing is most often a push caught half way (distribution writes the tag
  // directory before its link): worth another look soon, unlike other client errors.
  const listedButMissing = response.status === 404
  const hint = listedButMissing ? ' (pushed half way, or deleted since the tag list was read?)' : ''
  throw new RegistryError(`${what} answered ${status}${hint}`, {
    transient: listedButMissing,
    status: response.status,
  })
}

/** sha256 of the body; it must equal the digest we asked for and the one the registry claims. */
function verifiedDigest(response: HttpResponse, what: string, expected: string | undefined): string {
  const computed = `sha256:${createHash('sha256').update(response.body).digest('hex')}`
  const claimed = response.headers['docker-content-digest']
  const claimedSha = typeof claimed === 'string' && claimed.startsWith('sha256:') ? claimed : undefined
  for (const other of [expected, claimedSha]) {
    if (other !== undefined && other !== computed) {
      throw new RegistryError(`${what}: body does not match digest ${other} (cut short or altered)`, {
        transient: true,
      })
    }
  }
  return computed
}

function parseJson(body: Buffer, what: string): object {
  let json: unknown
  try {
    json = JSON.parse(body.toString('utf8'))
  } catch {
    throw new RegistryError(`${what} is not valid JSON`, { transient: false })
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new RegistryError(`${what} is not a JSON object`, { transient: false })
  }
  return json
}
