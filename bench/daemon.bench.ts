// Daemon overhead with no-op pipeline handlers (the queue, not git or registries): webhook → scan start
// latency on both backends, update job throughput through Redis, and a trigger burst coalescing to one run.
// The lead may swap recordingHandlers for the real pipeline (src/run/) to measure end to end.
import { signSha256 } from '../src/server/webhooks/index.js'
import { count, memoryLog, recordingHandlers, waitFor } from '../test/support/daemon-helpers.js'
import { startRedis } from '../test/support/redis.js'
import { type DaemonOptions, startDaemon } from '../workers/daemon.js'
import { createLogger } from '../workers/logger.js'
import type { Bench, BenchFigure } from './figure.js'

const IMAGE = 'docker.io/acme/app'
const SECRET = 'bench'
const SAMPLES = 20

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

async function webhookLatency(backend: DaemonOptions['backend']): Promise<number> {
  const log = memoryLog()
  const daemon = await startDaemon({
    handlers: recordingHandlers({ log, images: [{ image: IMAGE, configRepos: [], intervalMs: 3_600_000 }] }),
    backend,
    listen: '127.0.0.1:0',
    coalesceMs: 0,
    webhooks: [{ type: 'generic', secret: SECRET }],
    logger: createLogger({ level: 'silent' }),
  })
  try {
    await waitFor(() => count(log.all(), 'scan', 'end') === 1, 'the first scan')
    const body = JSON.stringify({ repository: IMAGE })
    const samples: number[] = []
    for (let i = 0; i < SAMPLES; i++) {
      const before = count(log.all(), 'scan', 'start')
      const sent = Date.now()
      await fetch(`${daemon.url}/hooks/generic`, {
        method: 'POST',
        body,
        headers: { 'x-signature': signSha256(body, SECRET) },
      })
      await waitFor(() => count(log.all(), 'scan', 'start') > before, 'the webhook scan')
      samples.push(log.all().filter((e) => e.kind === 'scan' && e.phase === 'start')[before]!.at - sent)
    }
    return median(samples)
  } finally {
    await daemon.close()
  }
}

async function updateThroughput(redisUrl: string, repos: number): Promise<number> {
  const log = memoryLog()
  const daemon = await startDaemon({
    handlers: recordingHandlers({ log, images: [] }),
    backend: { redisUrl, prefix: 'throughput' },
    role: 'worker',
    coalesceMs: 0,
    logger: createLogger({ level: 'silent' }),
    tuning: { concurrency: { update: 8 } },
  })
  try {
    const started = performance.now()
    for (let i = 0; i < repos; i++) await daemon.backend.enqueueUpdate(`http://git/r${i}.git`)
    await waitFor(() => count(log.all(), 'update', 'end') === repos, 'every update', 60_000)
    return repos / ((performance.now() - started) / 1000)
  } finally {
    await daemon.close()
  }
}

async function burstRuns(redisUrl: string): Promise<number> {
  const log = memoryLog()
  const daemon = await startDaemon({
    handlers: recordingHandlers({ log, images: [] }),
    backend: { redisUrl, prefix: 'burst' },
    role: 'worker',
    coalesceMs: 500,
    logger: createLogger({ level: 'silent' }),
  })
  try {
    await Promise.all(Array.from({ length: 100 }, () => daemon.backend.enqueueUpdate('http://git/burst.git')))
    await waitFor(() => count(log.all(), 'update', 'end') >= 1, 'the burst update')
    await new Promise((resolve) => setTimeout(resolve, 800))
    return count(log.all(), 'update', 'end')
  } finally {
    await daemon.close()
  }
}

export const run: Bench = async () => {
  const redis = await startRedis()
  try {
    const figures: BenchFigure[] = []
    const embedded = await webhookLatency('embedded')
    figures.push({
      name: 'webhook → scan start, embedded (median)',
      value: embedded,
      unit: 'ms',
      bound: '< 50 ms',
      ok: embedded < 50,
    })
    const distributed = await webhookLatency({ redisUrl: redis.url, prefix: 'latency' })
    figures.push({
      name: 'webhook → scan start, BullMQ (median)',
      value: distributed,
      unit: 'ms',
      bound: '< 100 ms',
      ok: distributed < 100,
    })
    const throughput = await updateThroughput(redis.url, 500)
    figures.push({
      name: '500 no-op update jobs, one BullMQ worker process',
      value: throughput,
      unit: 'jobs/s',
      bound: '> 100 jobs/s',
      ok: throughput > 100,
    })
    const runs = await burstRuns(redis.url)
    figures.push({
      name: '100 triggers of one repo in 500 ms window → update runs',
      value: runs,
      unit: 'runs',
      bound: '= 1',
      ok: runs === 1,
    })
    return figures
  } finally {
    await redis.stop()
  }
}
