// A worker process on the real pipeline for the recovery tests: `tsx test/support/pipeline-worker.ts` with
// CONFIG (an imagebot.yaml with redis) in the environment. Short locks so a killed worker's job is taken
// over in seconds. Prints "ready" when started.
import { pino } from 'pino'
import { loadConfig } from '../../src/config/index.js'
import { startConfiguredDaemon } from '../../workers/configured.js'
import { createLogger } from '../../workers/logger.js'
import { stopOnSignals } from '../../workers/signals.js'

const configPath = process.env.CONFIG
if (!configPath) throw new Error('pipeline-worker: CONFIG is not set')
const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', destination: pino.destination(2) })
const daemon = await startConfiguredDaemon(await loadConfig(configPath, process.env), {
  role: 'worker',
  logger,
  tuning: { lockTtlMs: 2000, lockRetryMs: 100, stalledIntervalMs: 500, concurrency: { scan: 1, update: 1 } },
})
stopOnSignals(daemon, logger)
process.stdout.write('ready\n')
