// `imagebot start`: the daemon. Scheduled polling and webhooks, embedded or on Redis.
import { startConfiguredDaemon } from '../../workers/configured.js'
import { createLogger, LOG_FORMATS, LOG_LEVELS, type LogFormat } from '../../workers/logger.js'
import { stopOnSignals } from '../../workers/signals.js'
import { configFor } from './config.js'
import { UsageError } from './failure.js'
import { colourOn } from './output.js'

const ROLES = ['all', 'scheduler', 'worker', 'web'] as const
type Role = (typeof ROLES)[number]

interface StartFlags {
  config: string
  role: string
  listen?: string
  logLevel?: string
  logFormat?: string
}

export async function run(_args: unknown[], flags: StartFlags): Promise<void> {
  if (!ROLES.includes(flags.role as Role)) throw new UsageError(`--role: expected one of ${ROLES.join(', ')}`)
  const config = await configFor(flags.config)
  const logger = createLogger(logSettings(flags))
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

/** Flags first, then IMAGEBOT_LOG_LEVEL / IMAGEBOT_LOG_FORMAT; JSON lines unless a person is watching. */
function logSettings(flags: StartFlags): Parameters<typeof createLogger>[0] {
  const level = flags.logLevel ?? process.env.IMAGEBOT_LOG_LEVEL ?? 'info'
  const format =
    flags.logFormat ?? process.env.IMAGEBOT_LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json')
  const levelFrom = flags.logLevel ? '--log-level' : 'IMAGEBOT_LOG_LEVEL'
  const formatFrom = flags.logFormat ? '--log-format' : 'IMAGEBOT_LOG_FORMAT'
  if (!(LOG_LEVELS as readonly string[]).includes(level))
    throw new UsageError(`${levelFrom} ${level}: expected one of ${LOG_LEVELS.join(', ')}`)
  if (!(LOG_FORMATS as readonly string[]).includes(format))
    throw new UsageError(`${formatFrom} ${format}: expected one of ${LOG_FORMATS.join(', ')}`)
  return { level, format: format as LogFormat, colour: colourOn(process.stdout) }
}
