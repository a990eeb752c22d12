// `imagebot start`: the daemon. Scheduled polling and webhooks, embedded or on Redis.
import type { Command } from 'commander'
import { startConfiguredDaemon } from '../../workers/configured.js'
import { createLogger } from '../../workers/logger.js'
import { stopOnSignals } from '../../workers/signals.js'
import { configFor, UsageError, withErrors } from './config.js'

const ROLES = ['all', 'scheduler', 'worker', 'web'] as const
type Role = (typeof ROLES)[number]

interface StartFlags {
  config: string
  role: string
  listen?: string
}

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run continuously: poll registries on schedule, take webhooks, commit and push updates')
    .requiredOption('--config <file>', 'imagebot.yaml')
    .option(
      '--role <role>',
      `what this process does: ${ROLES.join('|')} (roles other than all need Redis)`,
      'all',
    )
    .option(
      '--listen <addr>',
      'host:port of webhooks, /metrics, /healthz, /readyz, /status (overrides server.listen)',
    )
    .action(
      withErrors(async (flags: StartFlags) => {
        if (!ROLES.includes(flags.role as Role))
          throw new UsageError(`--role: expected one of ${ROLES.join(', ')}`)
        const config = await configFor(flags.config)
        const logger = createLogger()
        const run: Parameters<typeof startConfiguredDaemon>[1] = {
          role: flags.role as Role,
          logger,
          env: process.env,
        }
        if (flags.listen) run.listen = flags.listen
        const daemon = await startConfiguredDaemon(config, run)
        logger.info({ url: daemon.url, role: flags.role, backend: daemon.backend.kind }, 'imagebot started')
        stopOnSignals(daemon, logger)
      }),
    )
}
