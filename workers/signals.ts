// Graceful shutdown for `imagebot start`: the first SIGTERM/SIGINT closes the daemon (HTTP first, then
// running jobs finish, then Redis); a second signal exits at once, leaving unfinished jobs to the stalled
// job recovery of the other workers (or of the next start). Closing is bounded: after a Redis outage
// BullMQ's Worker.close() can wait for ever (taskforcesh/bullmq#4656, open, no fixed release after 6.7.0),
// so once the grace period is over every connection is dropped and the process exits 1, logging what did
// not finish.
import type { Logger } from 'pino'
import type { Daemon } from './daemon.js'
import { errorMessage } from './logger.js'

export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000

export interface ShutdownOptions {
  signals?: NodeJS.Signals[]
  /** How long running jobs get to finish after the first signal. */
  graceMs?: number
}

export function stopOnSignals(
  daemon: Pick<Daemon, 'close' | 'forceClose'>,
  logger: Logger,
  options: ShutdownOptions = {},
): void {
  const { signals = ['SIGTERM', 'SIGINT'], graceMs = DEFAULT_SHUTDOWN_GRACE_MS } = options
  let stopping = false
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal; exiting without waiting for running jobs')
      process.exit(1)
    }
    stopping = true
    logger.info({ signal, graceMs }, 'shutting down; waiting for running jobs')
    const grace = setTimeout(() => {
      const unfinished = daemon.forceClose()
      logger.error(
        { graceMs, unfinished },
        `shutdown did not finish within ${graceMs} ms; closed forcibly, unfinished: ${unfinished.join(', ') || 'nothing left running'}`,
      )
      process.exit(1)
    }, graceMs)
    daemon.close().then(
      () => {
        clearTimeout(grace)
        process.exit(0)
      },
      (error: unknown) => {
        clearTimeout(grace)
        logger.error({ error: errorMessage(error) }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  for (const signal of signals) process.on(signal, onSignal)
}
