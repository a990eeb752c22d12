// The registry client: one transport per registry host (created on first use, so a bad setting
// fails only the repositories on that host), one credential resolver, one metadata cache (and, in a
// distributed daemon, a shared store behind it).
import type { RepositoryName } from '../image/reference.js'
import { repositoryKey } from '../image/reference.js'
import { type DetailsEntry, MetadataCache } from './cache.js'
import { type CredentialResolver, createCredentialResolver } from './credentials.js'
import { type TagMetadata, tagMetadata } from './metadata.js'
import { normalizeHost, type RegistrySettings, resolveSettings } from './settings.js'
import { guardSharedStore, type SharedMetadataStore } from './shared-store.js'
import { listTags, type TagListing } from './tags.js'
import { RegistryTransport, type RequestEvent } from './transport.js'

export interface RegistryClientOptions {
  registries: RegistrySettings[]
  /** Where the metadata cache is persisted; in memory only when absent. */
  stateDir?: string
  /** Environment for credential lookup (Docker config location, IMAGEBOT_REGISTRY_* variables, helper PATH). */
  env?: NodeJS.ProcessEnv
  /** A Kubernetes dockerconfigjson, legacy .dockercfg or config.json file to take credentials from. */
  dockerConfigPath?: string
  onRequest?: (event: RequestEvent) => void
  /** How long a known tag → digest is trusted before a HEAD re-checks it; default 24 h. */
  tagTtlMs?: number
  now?: () => number
  /**
   * Tag → digest and digest → details shared with other processes, consulted before any request for a
   * tag the local cache does not know fresh, and written after each registry answer. Its failures become
   * warnings, never failed scans.
   */
  sharedStore?: SharedMetadataStore
}

export interface RegistryClient {
  /** Lists tags of one repository; `keep` filters as pages arrive. Throws RegistryError. */
  listTags(image: RepositoryName, keep?: (tag: string) => boolean): Promise<TagListing>
  /** Digest and build metadata of one tag, through the cache. Throws RegistryError. */
  tagMetadata(image: RepositoryName, tag: string): Promise<TagMetadata>
  /** Drops cached tags of `image` that are no longer listed or wanted. */
  retainTags(image: RepositoryName, tags: Set<string>): Promise<void>
  /** Persists the cache (no-op without a state directory or without changes). */
  save(): Promise<void>
  /** Whether Docker Hub-style pull budget ran out for `host` during this client's life. */
  pullBudgetExhausted(host: string): boolean
  /** Non-fatal notes: an ignored state file, a failed save, a failing shared store. */
  readonly warnings: string[]
}

export const DEFAULT_TAG_TTL_MS = 24 * 60 * 60 * 1000

export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  return new Client(options)
}

class Client implements RegistryClient {
  readonly warnings: string[] = []
  private readonly transports = new Map<string, RegistryTransport>()
  private readonly credentials: CredentialResolver
  private cache: Promise<MetadataCache> | undefined
  private readonly inFlight = new Map<string, { owner: string; details: Promise<DetailsEntry> }>()
  private readonly shared: SharedMetadataStore | undefined

  constructor(private readonly options: RegistryClientOptions) {
    const sources = { registries: options.registries, env: options.env ?? {} }
    this.credentials = createCredentialResolver(
      options.dockerConfigPath ? { ...sources, dockerConfigPath: options.dockerConfigPath } : sources,
    )
    if (options.sharedStore) {
      const warn = (message: string) => this.warnings.push(message)
      this.shared = guardSharedStore(options.sharedStore, options.now ? { warn, now: options.now } : { warn })
    }
  }

  async listTags(image: RepositoryName, keep?: (tag: string) => boolean): Promise<TagListing> {
    const cache = await this.loadCache()
    const transport = this.transportFor(image.registry, cache)
    const listing = await listTags(transport, image.repository, keep)
    if (transport.pageSize < transport.settings.pageSize)
      cache.setPageSize(transport.settings.host, transport.pageSize)
    return listing
  }

  async tagMetadata(image: RepositoryName, tag: string): Promise<TagMetadata> {
    const cache = await this.loadCache()
    const transport = this.transportFor(image.registry, cache)
    const now = this.options.now ?? Date.now
    const deps = {
      cache,
      now,
      tagTtlMs: this.options.tagTtlMs ?? DEFAULT_TAG_TTL_MS,
      inFlight: this.inFlight,
      ...(this.shared && { shared: this.shared }),
    }
    return tagMetadata(deps, transport, image, tag)
  }

  async retainTags(image: RepositoryName, tags: Set<string>): Promise<void> {
    ;(await this.loadCache()).retainTags(repositoryKey(image), tags)
  }

  async save(): Promise<void> {
    if (!this.cache) return
    try {
      await (await this.cache).save()
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error'
      this.warnings.push(`could not save the registry cache in ${this.options.stateDir} (${code})`)
    }
  }

  pullBudgetExhausted(host: string): boolean {
    return this.transports.get(normalizeHost(host))?.pullBudgetExhausted ?? false
  }

  private loadCache(): Promise<MetadataCache> {
    this.cache ??= MetadataCache.load(this.options.stateDir).then((cache) => {
      if (cache.loadWarning) this.warnings.push(cache.loadWarning)
      return cache
    })
    return this.cache
  }

  private transportFor(registry: string, cache: MetadataCache): RegistryTransport {
    const host = normalizeHost(registry)
    let transport = this.transports.get(host)
    if (!transport) {
      // Throws a RegistryError for bad settings; not memoized, so each repository reports it.
      const settings = resolveSettings(this.options.registries, host)
      const deps = { settings, credentials: () => this.credentials(host) }
      transport = new RegistryTransport(
        this.options.onRequest ? { ...deps, onRequest: this.options.onRequest } : deps,
      )
      transport.pageSize = Math.min(settings.pageSize, cache.getPageSize(host) ?? settings.pageSize)
      this.transports.set(host, transport)
    }
    return transport
  }
}
