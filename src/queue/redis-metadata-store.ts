// The registry metadata cache's shared tier on Redis, so every process of a distributed daemon knows what
// any of them learnt from a registry. Layout: one hash per repository, `<prefix>:registry:tags:<repository>`,
// field tag → JSON [digest, checkedAt]; one hash `<prefix>:registry:details`, field details key → JSON
// {created?, labels?}. Each write renews the hash's expiry, so repositories nobody scans any more vanish.
import { Redis } from 'ioredis'
import type { DetailsEntry, TagEntry } from '../registry/cache.js'
import type { SharedMetadataStore } from '../registry/shared-store.js'

export interface RedisMetadataStoreOptions {
  /** Key prefix; default `imagebot`, the BullMQ prefix of the daemon. */
  prefix?: string
  /** Expiry of a hash after its last write; default 30 days. */
  ttlSeconds?: number
}

export const DEFAULT_METADATA_TTL_SECONDS = 30 * 24 * 60 * 60

export function redisMetadataStore(
  redis: Redis,
  options: RedisMetadataStoreOptions = {},
): SharedMetadataStore {
  const prefix = options.prefix ?? 'imagebot'
  const ttl = options.ttlSeconds ?? DEFAULT_METADATA_TTL_SECONDS
  const tagsKey = (repository: string) => `${prefix}:registry:tags:${repository}`
  const detailsKey = `${prefix}:registry:details`
  const write = async (key: string, field: string, value: unknown) => {
    const replies = await redis.multi().hset(key, field, JSON.stringify(value)).expire(key, ttl).exec()
    // A transaction resolves even when a command in it failed (say the key holds another type).
    const failed = replies?.find(([error]) => error)?.[0]
    if (failed) throw failed
  }
  return {
    getTag: async (repository, tag) => parseTag(await redis.hget(tagsKey(repository), tag)),
    setTag: (repository, tag, entry) => write(tagsKey(repository), tag, [entry.digest, entry.checkedAt]),
    getDetails: async (key) => parseDetails(await redis.hget(detailsKey, key)),
    setDetails: (key, details) => write(detailsKey, key, details),
  }
}

export interface RedisMetadataConnection {
  store: SharedMetadataStore
  /** Disconnects; safe to call twice. */
  close(): Promise<void>
}

/**
 * A store on a connection of its own. Commands fail fast while Redis is unreachable (one reconnection
 * attempt, one second per command): the registry client then asks the registry instead of waiting.
 */
export function connectRedisMetadataStore(
  url: string,
  options: RedisMetadataStoreOptions & { onError?: (error: Error) => void } = {},
): RedisMetadataConnection {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 1000 })
  // Without a listener ioredis prints every reconnection failure; the client reports failures itself.
  redis.on('error', (error: Error) => options.onError?.(error))
  return {
    store: redisMetadataStore(redis, options),
    close: async () => redis.disconnect(),
  }
}

/** A value some other version (or hand) wrote is treated as unknown, and is overwritten after the fetch. */
function parseTag(text: string | null): TagEntry | undefined {
  const value = parseJson(text)
  if (!Array.isArray(value) || value.length !== 2) return undefined
  const [digest, checkedAt] = value as unknown[]
  if (typeof digest !== 'string' || typeof checkedAt !== 'number') return undefined
  return { digest, checkedAt }
}

function parseDetails(text: string | null): DetailsEntry | undefined {
  const value = parseJson(text)
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const { created, labels } = value as Record<string, unknown>
  const details: DetailsEntry = {}
  if (created !== undefined) {
    if (typeof created !== 'string') return undefined
    details.created = created
  }
  if (labels !== undefined) {
    if (!isStringRecord(labels)) return undefined
    details.labels = labels
  }
  return details
}

function isStringRecord(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  return Object.values(value).every((item) => typeof item === 'string')
}

function parseJson(text: string | null): unknown {
  if (text === null) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
