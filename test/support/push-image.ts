// Pushes test images to a registry with plain HTTP (fetch), independent of src/registry so tests
// never check the client against itself: blob upload (POST → 202 Location, PUT ?digest → 201, or
// a cross-repository mount), then the manifest PUT with its media type as Content-Type.
// Images have no layers; the config blob carries `created` and labels, which is all imagebot reads.
// No vitest imports: benchmarks and the demo reuse this module.
import { createHash } from 'node:crypto'

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
} as const

export type ImageFlavour = 'oci' | 'docker'

export interface PlatformImage {
  platform: string
  created?: string
  labels?: Record<string, string>
}

export interface PushImageOptions {
  created: string
  mediaType?: ImageFlavour
  labels?: Record<string, string>
  /** Makes a multi-arch index (OCI) or manifest list (Docker) of these platforms. */
  platforms?: (string | PlatformImage)[]
  /** OCI index only: add a BuildKit-style attestation entry (listed first); default true. */
  attestation?: boolean
  auth?: { username: string; password: string }
}

export interface PushedImage {
  /** Digest of the tag's manifest (the index for multi-arch). */
  digest: string
  /** Digest of each platform's manifest, by platform. */
  platforms: Record<string, string>
}

export interface BuiltImage {
  config: Buffer
  manifest: Buffer
  mediaType: string
}

export function digestOf(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}

/** A layerless image whose config says when it was built and for which platform. */
export function buildImage(options: {
  created: string
  labels?: Record<string, string>
  flavour?: ImageFlavour
  platform?: string
}): BuiltImage {
  const [os = 'linux', architecture = 'amd64', variant] = (options.platform ?? 'linux/amd64').split('/')
  const config = Buffer.from(
    JSON.stringify({
      architecture,
      os,
      ...(variant ? { variant } : {}),
      created: options.created,
      rootfs: { type: 'layers', diff_ids: [] },
      config: options.labels ? { Labels: options.labels } : {},
    }),
  )
  const oci = (options.flavour ?? 'oci') === 'oci'
  const mediaType = oci ? MEDIA.ociManifest : MEDIA.dockerManifest
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType,
      config: {
        mediaType: oci ? MEDIA.ociConfig : MEDIA.dockerConfig,
        digest: digestOf(config),
        size: config.length,
      },
      layers: [],
    }),
  )
  return { config, manifest, mediaType }
}

export async function pushImage(
  registryUrl: string,
  name: string,
  tag: string,
  options: PushImageOptions,
): Promise<PushedImage> {
  const pusher = new RegistryPusher(registryUrl, options.auth)
  const flavour = options.mediaType ?? 'oci'
  if (!options.platforms) {
    const image = buildImage({ created: options.created, flavour, ...labelsOf(options.labels) })
    await pusher.uploadBlob(name, image.config)
    const digest = await pusher.putManifest(name, tag, image.manifest, image.mediaType)
    return { digest, platforms: { 'linux/amd64': digest } }
  }
  const entries: object[] = []
  const platforms: Record<string, string> = {}
  for (const item of options.platforms) {
    const wanted: PlatformImage = typeof item === 'string' ? { platform: item } : item
    const image = buildImage({
      created: wanted.created ?? options.created,
      flavour,
      platform: wanted.platform,
      ...labelsOf(wanted.labels ?? options.labels),
    })
    await pusher.uploadBlob(name, image.config)
    const digest = await pusher.putManifest(name, digestOf(image.manifest), image.manifest, image.mediaType)
    platforms[wanted.platform] = digest
    entries.push(indexEntry(image, digest, wanted.platform))
  }
  if (flavour === 'oci' && options.attestation !== false) {
    // BuildKit appends these; listed first here so a picker that ignores platforms would fail.
    entries.unshift(await pushAttestation(pusher, name, Object.values(platforms)[0] ?? ''))
  }
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: flavour === 'oci' ? MEDIA.ociIndex : MEDIA.dockerList,
      manifests: entries,
    }),
  )
  const digest = await pusher.putManifest(
    name,
    tag,
    index,
    flavour === 'oci' ? MEDIA.ociIndex : MEDIA.dockerList,
  )
  return { digest, platforms }
}

function labelsOf(labels: Record<string, string> | undefined) {
  return labels ? { labels } : {}
}

function indexEntry(image: BuiltImage, digest: string, platform: string): object {
  const [os, architecture, variant] = platform.split('/')
  return {
    mediaType: image.mediaType,
    digest,
    size: image.manifest.length,
    platform: { os, architecture, ...(variant ? { variant } : {}) },
  }
}

async function pushAttestation(pusher: RegistryPusher, name: string, subject: string): Promise<object> {
  const image = buildImage({ created: '1970-01-01T00:00:00Z', platform: 'unknown/unknown' })
  await pusher.uploadBlob(name, image.config)
  const digest = await pusher.putManifest(name, digestOf(image.manifest), image.manifest, image.mediaType)
  return {
    mediaType: image.mediaType,
    digest,
    size: image.manifest.length,
    platform: { os: 'unknown', architecture: 'unknown' },
    annotations: {
      'vnd.docker.reference.type': 'attestation-manifest',
      'vnd.docker.reference.digest': subject,
    },
  }
}

/** Minimal pushing client: Basic or Bearer (pull,push scope) on demand, blob upload/mount, manifest PUT. */
export class RegistryPusher {
  private readonly tokens = new Map<string, string>()
  private challenge: string | undefined

  constructor(
    private readonly baseUrl: string,
    private readonly auth?: { username: string; password: string },
  ) {}

  /** Uploads `bytes` unless the repository has them; mounts from `mountFrom` when given. */
  async uploadBlob(name: string, bytes: Buffer, mountFrom?: string): Promise<string> {
    const digest = digestOf(bytes)
    if (mountFrom) {
      const query = `mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(mountFrom)}`
      const mounted = await this.call(name, `/v2/${name}/blobs/uploads/?${query}`, { method: 'POST' })
      await mounted.arrayBuffer()
      if (mounted.status === 201) return digest
    } else {
      const head = await this.call(name, `/v2/${name}/blobs/${digest}`, { method: 'HEAD' })
      if (head.status === 200) return digest
    }
    const started = await this.call(name, `/v2/${name}/blobs/uploads/`, { method: 'POST' })
    await expectStatus(started, 202, `start upload to ${name}`)
    const location = new URL(started.headers.get('location') ?? '', this.baseUrl)
    location.searchParams.set('digest', digest)
    const put = await this.call(name, location.href, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    })
    await expectStatus(put, 201, `upload blob to ${name}`)
    return digest
  }

  async putManifest(name: string, reference: string, body: Buffer, mediaType: string): Promise<string> {
    const response = await this.call(name, `/v2/${name}/manifests/${reference}`, {
      method: 'PUT',
      headers: { 'content-type': mediaType },
      body,
    })
    await expectStatus(response, 201, `put manifest ${name}:${reference}`)
    return response.headers.get('docker-content-digest') ?? digestOf(body)
  }

  private async call(name: string, path: string, init: RequestInit): Promise<Response> {
    const url = new URL(path, this.baseUrl).href
    const first = await fetch(url, { ...init, headers: await this.headers(name, init.headers) })
    if (first.status !== 401) return first
    await first.arrayBuffer()
    this.challenge = first.headers.get('www-authenticate') ?? undefined
    this.tokens.delete(name)
    return fetch(url, { ...init, headers: await this.headers(name, init.headers) })
  }

  private async headers(name: string, base: RequestInit['headers']): Promise<Record<string, string>> {
    const headers: Record<string, string> = { ...(base as Record<string, string> | undefined) }
    if (!this.challenge || !this.auth) return headers
    const basic = `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password}`).toString('base64')}`
    if (/^basic/i.test(this.challenge)) headers.authorization = basic
    else headers.authorization = `Bearer ${await this.token(name, basic)}`
    return headers
  }

  private async token(name: string, basic: string): Promise<string> {
    const cached = this.tokens.get(name)
    if (cached) return cached
    const param = (key: string) => new RegExp(`${key}="([^"]*)"`).exec(this.challenge ?? '')?.[1]
    const realm = new URL(param('realm') ?? '')
    realm.searchParams.set('service', param('service') ?? '')
    realm.searchParams.set('scope', `repository:${name}:pull,push`)
    const response = await fetch(realm, { headers: { authorization: basic } })
    const body = await expectStatus(response, 200, `token for ${name}`)
    const token = (JSON.parse(body) as { token: string }).token
    this.tokens.set(name, token)
    return token
  }
}

/** Reads the body (an unread body keeps undici from reusing the connection) and checks the status. */
async function expectStatus(response: Response, status: number, what: string): Promise<string> {
  const text = await response.text()
  if (response.status === status) return text
  throw new Error(`${what}: expected HTTP ${status}, got ${response.status}: ${text.slice(0, 300)}`)
}
