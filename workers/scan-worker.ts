// Scan jobs: one image repository at a time; when its tags changed, queue an update of every config
// repository that uses it (coalesced by the backend).
import type { JobVerdict } from '../src/queue/backend.js'
import type { WorkerContext } from './context.js'
import { errorMessage } from './logger.js'

export function scanProcessor(ctx: WorkerContext): (image: string) => Promise<JobVerdict> {
  return async (image) => {
    const stopTimer = ctx.metrics.startScan(image)
    let outcome: Awaited<ReturnType<typeof ctx.handlers.scan>>
    try {
      outcome = await ctx.handlers.scan(image)
    } catch (error) {
      stopTimer()
      ctx.metrics.imageError(image, true)
      await ctx.status.recordScanFailure(image, errorMessage(error), new Date())
      ctx.logger.warn({ image, error: errorMessage(error) }, 'scan failed')
      throw error
    }
    stopTimer()
    // A transient problem about to be looked at again (typically a manifest 404 for a tag the registry lists
    // before the push finished linking it) is not yet a failure: no gauge, no warning, until retries run out.
    const retrying = outcome.retryInMs !== undefined
    ctx.metrics.imageError(image, outcome.error !== undefined && !retrying)
    await ctx.status.recordScan(image, outcome, new Date())
    const affected = outcome.changed ? outcome.affectedConfigRepos : []
    for (const configRepo of affected) await ctx.backend.enqueueUpdate(configRepo)
    const context = { image, tagsSeen: outcome.tagsSeen, changed: outcome.changed, queuedUpdates: affected }
    if (outcome.error !== undefined && retrying)
      ctx.logger.debug(
        { ...context, error: outcome.error, retryInMs: outcome.retryInMs },
        'scan will look again',
      )
    else if (outcome.error !== undefined)
      ctx.logger.warn({ ...context, error: outcome.error }, 'scan reported an error')
    else ctx.logger.info(context, 'scan done')
    return outcome.retryInMs === undefined ? undefined : { retryInMs: outcome.retryInMs }
  }
}
