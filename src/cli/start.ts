// `imagebot start`: the daemon. Scheduled polling and webhooks, embedded or on Redis.
import { startConfiguredDaemon } from '../../workers/configured.js'
import { createLogger } from '../../workers/logger.js'
import { stopOnSignals } from '../../workers/signals.js'
import { configFor } from './config.js'
import { UsageError } from './failure.js'

const ROLES = ['all', 'scheduler', 'worker', 'web'] as const
type Role = (typeof ROLES)[number]

interface StartFlags {
  config: string
  role: string
  listen?: string
}

export async function run(_args: unknown[], flags: StartFlags): Promise<void> {
  if (!ROLES.includes(flags.role as Role)) throw new UsageError(`--role: expected one of ${ROLES.join(', ')}`)
  const config = await configFor(flags.config)
  const logger = createLogger()
  const options: Parameters<typeof startConfiguredDaemon>[1] = {
    role: flags.role as Role,
    logger,
    env: process.env,
  }
  if (flags.listen) options.listen = flags.listen
  const daemon = await startConfiguredDaemon(config, options)
  logger.info({ url: daemon.url, role: flags.role, backend: daemon.backend.kind }, 'imagebot started')
  stopOnSignals(daemon, logger)
}
