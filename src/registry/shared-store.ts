// A second tier behind the process's metadata cache, shared by every process of a distributed daemon
// (Redis there), so a tag one worker looked up costs no manifest or blob request in any other. The client
// sees it only through guardSharedStore: a slow or failing store is skipped for a while and reported in
// the client's warnings, never a failed scan, because the registry can always answer instead.
import type { DetailsEntry, TagEntry } from './cache.js'

export interface SharedMetadataStore {
  /** repository is repositoryKey(image), e.g. docker.io/library/nginx. */
  getTag(repository: string, tag: string): Promise<TagEntry | undefined>
  setTag(repository: string, tag: string, entry: TagEntry): Promise<void>
  /** key is MetadataCache.detailsKey(digest, platform?). */
  getDetails(key: string): Promise<DetailsEntry | undefined>
  setDetails(key: string, details: DetailsEntry): Promise<void>
}

export interface SharedStoreGuard {
  /** Called once when the store starts failing (again after it has answered since). */
  warn(message: string): void
  /** An operation not answered by then counts as failed; default 2000 ms. */
  timeoutMs?: number
  /** How long the store is left alone after a failure; default 30 s. */
  pauseMs?: number
  now?: () => number
}

export const SHARED_STORE_TIMEOUT_MS = 2000
export const SHARED_STORE_PAUSE_MS = 30_000

/** The store as the client uses it: never rejects; a failure reads as "not known" and writes nothing. */
export function guardSharedStore(store: SharedMetadataStore, guard: SharedStoreGuard): SharedMetadataStore {
  const now = guard.now ?? Date.now
  const timeoutMs = guard.timeoutMs ?? SHARED_STORE_TIMEOUT_MS
  const pauseMs = guard.pauseMs ?? SHARED_STORE_PAUSE_MS
  let pausedUntil = 0
  let failing = false

  const attempt = async <T>(what: string, work: () => Promise<T>, fallback: T): Promise<T> => {
    if (now() < pausedUntil) return fallback
    try {
      const result = await withTimeout(work(), timeoutMs)
      failing = false
      return result
    } catch (error) {
      // Paused, so a store that is down costs one failed call per pause rather than one per tag.
      pausedUntil = now() + pauseMs
      if (!failing) {
        failing = true
        guard.warn(
          `the shared registry cache failed (${what}: ${describe(error)}); ` +
            `asking the registry directly for the next ${Math.round(pauseMs / 1000)} s`,
        )
      }
      return fallback
    }
  }

  return {
    getTag: (repository, tag) => attempt('read', () => store.getTag(repository, tag), undefined),
    setTag: (repository, tag, entry) =>
      attempt('write', () => store.setTag(repository, tag, entry), undefined),
    getDetails: (key) => attempt('read', () => store.getDetails(key), undefined),
    setDetails: (key, details) => attempt('write', () => store.setDetails(key, details), undefined),
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}

/** The error's own text, short, with any URL credentials removed (a store error may quote its URL). */
function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.replace(/\/\/[^/\s@]*@/g, '//').slice(0, 200)
}
