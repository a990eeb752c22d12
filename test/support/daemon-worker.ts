// A daemon process for the multi-process tests: `tsx test/support/daemon-worker.ts`, configured by
// environment: REDIS_URL, PREFIX, ROLE, EVENTS_FILE (JSON lines of handler calls), UPDATE_MS, SCAN_MS,
// COALESCE_MS, LOCK_TTL_MS, STALLED_MS; optionally IMAGES (JSON list of ScheduledImage that discovery
// returns), SCAN_CHANGED=1 (every scan reports a change for the image's config repos), LISTEN (host:port of
// the HTTP server), WEBHOOKS (JSON list of { type, secret }), SHUTDOWN_GRACE_MS, DATA_LOSS_CHECK_MS and
// LOG_FILE (JSON log lines there instead of stderr). Prints "ready" (and the URL when serving) when
// started; SIGTERM closes it gracefully.
import { pino } from 'pino'
import type { ScheduledImage } from '../../src/queue/contract.js'
import { type DaemonOptions, type DaemonRole, startDaemon } from '../../workers/daemon.js'
import { createLogger } from '../../workers/logger.js'
import { stopOnSignals } from '../../workers/signals.js'
import { fileLog, recordingHandlers } from './daemon-helpers.js'

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback
  if (value === undefined) throw new Error(`daemon-worker: ${name} is not set`)
  return value
}
const optionalNumber = (name: string) =>
  process.env[name] === undefined ? undefined : Number(process.env[name])

const logFile = process.env.LOG_FILE
const logger = createLogger({
  level: env('LOG_LEVEL', 'warn'),
  destination: logFile ? pino.destination({ dest: logFile, sync: true }) : pino.destination(2),
})
const images = JSON.parse(env('IMAGES', '[]')) as ScheduledImage[]
const options: DaemonOptions = {
  handlers: recordingHandlers({
    log: fileLog(env('EVENTS_FILE')),
    images,
    updateMs: Number(env('UPDATE_MS', '200')),
    scanMs: Number(env('SCAN_MS', '0')),
    ...(process.env.SCAN_CHANGED === '1' && {
      scanOutcome: (image: string) => ({
        changed: true,
        affectedConfigRepos: images.find((entry) => entry.image === image)?.configRepos ?? [],
        tagsSeen: 3,
      }),
    }),
  }),
  backend: { redisUrl: env('REDIS_URL'), prefix: env('PREFIX', 'imagebot') },
  role: env('ROLE', 'worker') as DaemonRole,
  coalesceMs: Number(env('COALESCE_MS', '300')),
  webhooks: JSON.parse(env('WEBHOOKS', '[]')),
  logger,
  tuning: {
    lockTtlMs: Number(env('LOCK_TTL_MS', '2000')),
    lockRetryMs: 100,
    stalledIntervalMs: Number(env('STALLED_MS', '1000')),
    concurrency: { scan: 1, update: 1 },
    confirmScanMs: 0,
    ...(optionalNumber('DATA_LOSS_CHECK_MS') !== undefined && {
      dataLossCheckMs: optionalNumber('DATA_LOSS_CHECK_MS')!,
    }),
  },
}
if (process.env.LISTEN) options.listen = process.env.LISTEN
const daemon = await startDaemon(options)

const graceMs = optionalNumber('SHUTDOWN_GRACE_MS')
stopOnSignals(daemon, logger, graceMs === undefined ? {} : { graceMs })
process.stdout.write(daemon.url ? `ready ${daemon.url}\n` : 'ready\n')
