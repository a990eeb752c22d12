// After Redis lost its data (a restart without persistence), the discovery and scan schedules, the queued
// jobs and the status records are gone, and nothing would run again until the daemon restarts. A scheduler
// process rebuilds: it forgets what discovery last saw (so every config repository is updated once more,
// covering update jobs that were lost) and re-creates the discovery schedule, whose first run at once
// re-creates every scan schedule, each scanning at once (covering scans a webhook had queued, answered 202).
import type { WorkerContext } from './context.js'
import { errorMessage } from './logger.js'
import type { DiscoveryMemory } from './scheduler.js'

export interface RecoveryOptions {
  rediscoverMs: number
  /** How often the marker is checked besides after each reconnect. */
  checkEveryMs?: number
}

export async function rebuildAfterDataLoss(
  ctx: WorkerContext,
  memory: DiscoveryMemory,
  options: RecoveryOptions,
): Promise<void> {
  const { backend, logger } = ctx
  if (!backend.onDataLoss) return
  await backend.onDataLoss(async () => {
    logger.warn(
      { backend: backend.kind },
      'Redis lost its data (restarted without persistence?): rediscovering, re-creating schedules, updating every config repository',
    )
    delete memory.previous
    try {
      await backend.scheduleDiscover(options.rediscoverMs)
    } catch (error) {
      // Rejecting makes the next check (or reconnect) report the loss again and retry.
      logger.error(
        { error: errorMessage(error) },
        'rebuild after Redis data loss failed; retrying at the next check',
      )
      throw error
    }
  }, options.checkEveryMs)
}
