// Update jobs: one config repository at a time across every process. The repository lock (token + TTL,
// renewed while running) guards against a second run of the same repository, e.g. a job re-run after its
// worker looked dead; a job that cannot take the lock runs again later instead of being dropped.
import type { JobVerdict } from '../src/queue/backend.js'
import type { UpdateOutcome } from '../src/queue/contract.js'
import type { UpdateResultLabel } from '../src/server/metrics.js'
import { markStage } from '../src/stage-timing.js'
import type { WorkerContext } from './context.js'
import { errorMessage } from './logger.js'
import { recordSyncState } from './sync-state.js'

export interface UpdateTuning {
  /** Lock TTL; the holder renews it at a third of this while the update runs. */
  lockTtlMs: number
  /** Delay before a job whose repository is locked tries again. */
  lockRetryMs: number
}

/** Which result an update run counts as in metrics and logs. */
export function updateResultOf(
  outcome: Pick<UpdateOutcome, 'commit' | 'errors' | 'outcome'>,
): UpdateResultLabel {
  if (outcome.outcome === 'error') return 'error'
  if (outcome.outcome === 'partial') return 'partial'
  // Handlers that do not classify: any error counts against the whole run.
  if (outcome.outcome === undefined && outcome.errors.length > 0) return 'error'
  return outcome.commit ? 'updated' : 'unchanged'
}

export function updateProcessor(
  ctx: WorkerContext,
  tuning: UpdateTuning,
): (repo: string) => Promise<JobVerdict> {
  return async (configRepo) => {
    const lease = await ctx.backend.acquireLock(`update:${configRepo}`, tuning.lockTtlMs)
    if (lease === undefined) {
      ctx.logger.debug({ configRepo, retryInMs: tuning.lockRetryMs }, 'update busy elsewhere; retrying later')
      return { retryInMs: tuning.lockRetryMs }
    }
    markStage('update started', configRepo)
    const stopTimer = ctx.metrics.startUpdate(configRepo)
    try {
      const suspended = await ctx.suspension.isSuspended(configRepo)
      const outcome = await ctx.handlers.update(configRepo, suspended ? { dryRun: true } : {})
      stopTimer()
      await recordSyncState(ctx, configRepo)
      await recordOutcome(ctx, configRepo, outcome, suspended)
      // A pushed commit changes the targets' current tags: discover again to keep schedules right.
      if (outcome.commit) await ctx.backend.requestDiscover()
    } catch (error) {
      stopTimer()
      await recordSyncState(ctx, configRepo)
      ctx.metrics.updateFinished(configRepo, 'error')
      await ctx.status.recordUpdateFailure(configRepo, errorMessage(error), new Date())
      await notify(ctx, configRepo, { updates: 0, errors: [errorMessage(error)], targets: [] }, new Date())
      ctx.logger.error({ configRepo, error: errorMessage(error) }, 'update failed')
      throw error
    } finally {
      if (lease.lost) ctx.logger.warn({ configRepo }, 'update lock was lost while running')
      await lease.release().catch((error: unknown) => {
        ctx.logger.warn({ configRepo, error: errorMessage(error) }, 'update lock release failed; it expires')
      })
    }
    return undefined
  }
}

/** Notification trouble never fails or holds up an update: the events only go to the outbox here. */
async function notify(ctx: WorkerContext, configRepo: string, outcome: UpdateOutcome, at: Date) {
  try {
    await ctx.notifier?.recordUpdate(configRepo, outcome, at)
  } catch (error) {
    ctx.logger.warn({ configRepo, error: errorMessage(error) }, 'notification events not recorded')
  }
}

async function recordOutcome(
  ctx: WorkerContext,
  configRepo: string,
  outcome: UpdateOutcome,
  suspended: boolean,
) {
  const now = new Date()
  const result = updateResultOf(outcome)
  ctx.metrics.updateFinished(configRepo, result)
  if (outcome.commit) ctx.metrics.pushFinished(configRepo, 'ok')
  else if (outcome.updates > 0 && !suspended) ctx.metrics.pushFinished(configRepo, 'error')
  if (result !== 'error') ctx.metrics.lastSuccess(configRepo, now)
  await ctx.status.recordUpdate(configRepo, outcome, now)
  await notify(ctx, configRepo, outcome, now)
  const context = {
    configRepo,
    commit: outcome.commit,
    updates: outcome.updates,
    errors: outcome.errors,
    suspended,
  }
  if (result === 'error') ctx.logger.error({ ...context, outcome: result }, 'update failed')
  else if (result === 'partial')
    ctx.logger.warn({ ...context, outcome: result }, 'update partly done: some files or images failed')
  else ctx.logger.info(context, result === 'updated' ? 'update pushed' : 'update found nothing to change')
}
