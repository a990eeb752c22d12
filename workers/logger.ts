// The daemon's logger: pino JSON lines, context object first and a constant message, e.g.
// logger.info({ configRepo, commit }, 'update pushed'). Secret-looking keys are redacted at any of the
// first three levels, so a config or header object logged by mistake shows [Redacted].
import { type DestinationStream, type Logger, pino } from 'pino'
import pinoPretty from 'pino-pretty'
import { redactCredentials } from '../src/redact.js'

const SECRET_KEYS = ['auth', 'password', 'secret', 'token', 'authorization', 'identityToken', 'redisUrl']

export const REDACT_PATHS: string[] = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`])

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const
export const LOG_FORMATS = ['json', 'pretty'] as const
export type LogFormat = (typeof LOG_FORMATS)[number]

export interface LoggerOptions {
  level?: string
  /** `json` lines (default), or `pretty`: one readable line per entry (pino-pretty), coloured if `colour`. */
  format?: LogFormat
  colour?: boolean
  /** Where lines go; default stdout. Tests pass a stream to read them. */
  destination?: DestinationStream
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const settings = {
    level: options.level ?? 'info',
    base: { name: 'imagebot' },
    redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
  }
  if (options.format === 'pretty') {
    const pretty = pinoPretty({
      colorize: options.colour ?? false,
      sync: true,
      ignore: 'pid,hostname,name',
      translateTime: 'SYS:HH:MM:ss.l',
      ...(options.destination && { destination: options.destination }),
    })
    return pino(settings, pretty)
  }
  return options.destination ? pino(settings, options.destination) : pino(settings)
}

/** A URL fit for logs: user and password removed (redis://:secret@host → redis://host). */
export const safeUrl = redactCredentials

/** An error's message for logs and /status, never its stack or attached request data. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
