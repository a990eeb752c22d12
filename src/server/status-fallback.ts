// /status must answer within a second whatever Redis does. Reading the records from Redis is raced against a
// deadline, and skipped while the connection is not up (a command issued then would wait for the reconnect);
// either way the answer is the last snapshot this process read, saying Redis is unreachable and since when
// that snapshot dates. With the embedded backend the snapshot is local and the answer is unchanged.
import type { StatusSnapshot } from './status.js'

export interface RedisReachability {
  reachable: boolean
  /** Why the records could not be read, when unreachable. */
  error?: string
  /** ISO time of the snapshot shown, when it is an older one. */
  snapshotAt?: string
}

export type StatusAnswer = StatusSnapshot & { redis?: RedisReachability }

export interface StatusFallbackOptions {
  /** Whether the status connection is up now (ioredis `status === 'ready'`). */
  connected: () => boolean
  /** Longest wait for Redis before answering from memory; default 800 ms, so the whole answer is < 1 s. */
  deadlineMs?: number
}

export function statusWithFallback(
  read: () => Promise<StatusSnapshot>,
  options: StatusFallbackOptions,
): () => Promise<StatusAnswer> {
  const deadlineMs = options.deadlineMs ?? 800
  let last: { snapshot: StatusSnapshot; at: string } | undefined
  const fallback = (error: string): StatusAnswer => ({
    ...(last?.snapshot ?? { images: [], configRepos: [] }),
    redis: { reachable: false, error, ...(last && { snapshotAt: last.at }) },
  })
  return async () => {
    if (!options.connected()) return fallback('Redis is unreachable (not connected)')
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), deadlineMs)
    })
    try {
      const snapshot = await Promise.race([read(), deadline])
      if (snapshot === 'late') return fallback(`Redis did not answer within ${deadlineMs} ms`)
      last = { snapshot, at: new Date().toISOString() }
      return { ...snapshot, redis: { reachable: true } }
    } catch (error) {
      return fallback(`Redis is unreachable: ${error instanceof Error ? error.message : String(error)}`)
    } finally {
      clearTimeout(timer)
    }
  }
}
