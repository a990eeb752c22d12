// A daemon process for the multi-process tests: `tsx test/support/daemon-worker.ts`, configured by
// environment: REDIS_URL, PREFIX, ROLE, EVENTS_FILE (JSON lines of handler calls), UPDATE_MS,
// COALESCE_MS, LOCK_TTL_MS, STALLED_MS. Prints "ready" when started; SIGTERM closes it gracefully.
import { pino } from 'pino'
import { type DaemonRole, startDaemon } from '../../workers/daemon.js'
import { createLogger } from '../../workers/logger.js'
import { stopOnSignals } from '../../workers/signals.js'
import { fileLog, recordingHandlers } from './daemon-helpers.js'

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback
  if (value === undefined) throw new Error(`daemon-worker: ${name} is not set`)
  return value
}

const logger = createLogger({ level: env('LOG_LEVEL', 'warn'), destination: pino.destination(2) })
const daemon = await startDaemon({
  handlers: recordingHandlers({
    log: fileLog(env('EVENTS_FILE')),
    images: [],
    updateMs: Number(env('UPDATE_MS', '200')),
  }),
  backend: { redisUrl: env('REDIS_URL'), prefix: env('PREFIX', 'imagebot') },
  role: env('ROLE', 'worker') as DaemonRole,
  coalesceMs: Number(env('COALESCE_MS', '300')),
  logger,
  tuning: {
    lockTtlMs: Number(env('LOCK_TTL_MS', '2000')),
    lockRetryMs: 100,
    stalledIntervalMs: Number(env('STALLED_MS', '1000')),
    concurrency: { scan: 1, update: 1 },
  },
})

stopOnSignals(daemon, logger)
process.stdout.write('ready\n')
