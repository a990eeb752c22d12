// The embedded daemon with its HTTP server in a process of its own, for tests that measure what clients
// cost it (RSS from /proc) or kill it: `tsx test/support/web-daemon.ts`, configured by environment:
// WEBHOOKS (JSON list of { type, secret }), HTTP_LIMITS (JSON HttpLimits), IMAGES (JSON list of image keys).
// Prints "ready <url>" once listening; SIGTERM closes it gracefully.
import { pino } from 'pino'
import { DEFAULT_HTTP_LIMITS } from '../../src/server/http-limits.js'
import { startDaemon } from '../../workers/daemon.js'
import { createLogger } from '../../workers/logger.js'
import { stopOnSignals } from '../../workers/signals.js'
import { memoryLog, recordingHandlers } from './daemon-helpers.js'

const json = <T>(name: string, fallback: T): T => {
  const value = process.env[name]
  return value === undefined ? fallback : (JSON.parse(value) as T)
}

const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'silent', destination: pino.destination(2) })
const images = json<string[]>('IMAGES', [])
const daemon = await startDaemon({
  handlers: recordingHandlers({
    log: memoryLog(),
    images: images.map((image) => ({
      image,
      configRepos: ['http://127.0.0.1:1/a.git'],
      intervalMs: 3_600_000,
    })),
  }),
  backend: 'embedded',
  listen: '127.0.0.1:0',
  coalesceMs: 0,
  webhooks: json('WEBHOOKS', []),
  httpLimits: { ...DEFAULT_HTTP_LIMITS, ...json('HTTP_LIMITS', {}) },
  logger,
  tuning: { confirmScanMs: 0 },
})

stopOnSignals(daemon, logger)
process.stdout.write(`ready ${daemon.url}\n`)
