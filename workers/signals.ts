// Graceful shutdown for `imagebot start`: the first SIGTERM/SIGINT closes the daemon (HTTP first, then
// running jobs finish, then Redis); a second signal exits at once, leaving unfinished jobs to the stalled
// job recovery of the other workers (or of the next start).
import type { Logger } from 'pino'
import type { Daemon } from './daemon.js'
import { errorMessage } from './logger.js'

export function stopOnSignals(
  daemon: Pick<Daemon, 'close'>,
  logger: Logger,
  signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'],
): void {
  let stopping = false
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal; exiting without waiting for running jobs')
      process.exit(1)
    }
    stopping = true
    logger.info({ signal }, 'shutting down; waiting for running jobs')
    daemon.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ error: errorMessage(error) }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  for (const signal of signals) process.on(signal, onSignal)
}
