// Detects that Redis lost its data: a restart without persistence (no AOF, no RDB), a FLUSHALL, a failover
// to an empty replica. A marker key holds a random value, set only if absent (SET NX) so every process
// sharing the Redis sees the same one; each process checks it after every reconnect and every `intervalMs`.
// A missing marker (this process sets a new one) or a value other than the one it knew (another process
// found the loss first and set it) means the queues, the job schedulers and the status records are gone:
// the listener rebuilds what this process is responsible for, once per loss.
import type { Redis } from 'ioredis'

export interface DataLossWatch {
  stop(): void
}

export interface DataLossOptions {
  /** Periodic check besides the one after each reconnect; default 5 s. */
  intervalMs?: number
  /** Rebuilds; when it rejects, the loss is reported again at the next check. */
  onLoss: () => Promise<void> | void
  onError?: (error: Error) => void
}

export const MARKER_SUFFIX = 'marker'

export async function watchDataLoss(
  redis: Redis,
  prefix: string,
  options: DataLossOptions,
): Promise<DataLossWatch> {
  const key = `${prefix}:${MARKER_SUFFIX}`
  /** The marker as this process last saw it; another value means another process found the loss first. */
  const current = async (): Promise<string | null> => {
    await redis.set(key, `${new Date().toISOString()} ${Math.random().toString(36).slice(2)}`, 'NX')
    return await redis.get(key)
  }
  let known = await current()
  let checking = false
  const check = async () => {
    // Only on a live connection: while Redis is down, a queued command would pile up behind the others.
    if (checking || redis.status !== 'ready') return
    checking = true
    try {
      const seen = await current()
      if (seen !== known) {
        const before = known
        known = seen
        await Promise.resolve(options.onLoss()).catch((error: unknown) => {
          known = before
          throw error
        })
      }
    } catch (error) {
      options.onError?.(error as Error)
    } finally {
      checking = false
    }
  }
  const onReady = () => void check()
  redis.on('ready', onReady)
  const timer = setInterval(() => void check(), options.intervalMs ?? 5_000)
  timer.unref()
  return {
    stop() {
      clearInterval(timer)
      redis.off('ready', onReady)
    },
  }
}
