// Crash recovery: kill -9 a worker process in the middle of an update, crash and restart redis-server
// (append-only file, same port), start a new worker: the pending update runs again, exactly once to
// completion, and nothing else runs twice.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BullmqBackend } from '../src/queue/bullmq.js'
import { redisStatusStore } from '../src/server/status-redis.js'
import { signSha256 } from '../src/server/webhooks/index.js'
import { startDaemon } from '../workers/daemon.js'
import { createLogger } from '../workers/logger.js'
import { count, type EventLog, fileLog, recordingHandlers, sleep, waitFor } from './support/daemon-helpers.js'
import { type DaemonProcess, spawnDaemonProcess } from './support/daemon-process.js'
import { startRedis, type TestRedis } from './support/redis.js'

const REPO = 'http://127.0.0.1:1/crash.git'
const OTHER = 'http://127.0.0.1:1/other.git'
const UPDATE_MS = 1500

let redis: TestRedis
let dir: string
let log: EventLog
let producer: BullmqBackend
const processes: DaemonProcess[] = []

beforeAll(async () => {
  redis = await startRedis({ appendonly: true })
  dir = mkdtempSync(join(tmpdir(), 'imagebot-recovery-'))
  log = fileLog(join(dir, 'events.jsonl'))
  producer = new BullmqBackend({ redisUrl: redis.url, coalesceMs: 0 })
}, 20_000)

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop('SIGKILL')))
  await producer?.close()
  await redis?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function spawnWorker(): Promise<DaemonProcess> {
  const worker = await spawnDaemonProcess({
    REDIS_URL: redis.url,
    EVENTS_FILE: join(dir, 'events.jsonl'),
    ROLE: 'worker',
    UPDATE_MS: String(UPDATE_MS),
    COALESCE_MS: '0',
    LOCK_TTL_MS: '1000',
    STALLED_MS: '500',
  })
  processes.push(worker)
  return worker
}

describe('crash recovery', () => {
  it('re-runs an update whose worker was killed, exactly once, after a Redis crash and restart', async () => {
    const first = await spawnWorker()
    await producer.enqueueUpdate(REPO)
    await producer.enqueueUpdate(OTHER)
    await waitFor(() => count(log.all(), 'update', 'start', REPO) === 1, 'the update to start')
    await first.stop('SIGKILL')
    await redis.restart()

    const second = await spawnWorker()
    await waitFor(() => count(log.all(), 'update', 'end', REPO) === 1, 'the re-run to finish', 20_000)
    await waitFor(() => count(log.all(), 'update', 'end', OTHER) === 1, 'the other update', 10_000)
    await sleep(1500)

    const events = log.all()
    const runs = events.filter((e) => e.kind === 'update' && e.key === REPO)
    expect(runs.map((e) => [e.phase, e.pid === first.pid ? 'first' : 'second'])).toEqual([
      ['start', 'first'],
      ['start', 'second'],
      ['end', 'second'],
    ])
    expect(count(events, 'update', 'end', OTHER)).toBe(1)
    const client = new Redis(redis.url)
    const status = await redisStatusStore(client, 'imagebot').snapshot()
    client.disconnect()
    expect(status.configRepos.map((r) => r.configRepo).sort()).toEqual([REPO, OTHER].sort())
    await second.stop()
  }, 40_000)

  it('answers webhooks 503 and /readyz 503 while Redis is down, and recovers when it is back', async () => {
    const client = new Redis(redis.url)
    await redisStatusStore(client, 'imagebot').recordDiscovery(
      [{ image: 'docker.io/acme/app', configRepos: [REPO], intervalMs: 3_600_000 }],
      new Date(),
    )
    client.disconnect()
    const web = await startDaemon({
      handlers: recordingHandlers({ log, images: [] }),
      backend: { redisUrl: redis.url },
      role: 'web',
      listen: '127.0.0.1:0',
      webhooks: [{ type: 'generic', secret: 'k' }],
      logger: createLogger({ level: 'silent' }),
      tuning: { hintTimeoutMs: 300 },
    })
    try {
      const body = JSON.stringify({ repository: 'acme/app' })
      const hook = () =>
        fetch(`${web.url}/hooks/generic`, {
          method: 'POST',
          body,
          headers: { 'x-signature': signSha256(body, 'k') },
        })
      expect((await fetch(`${web.url}/readyz`)).status).toBe(200)
      await redis.kill()
      expect((await hook()).status).toBe(503)
      expect((await fetch(`${web.url}/readyz`)).status).toBe(503)
      expect((await fetch(`${web.url}/healthz`)).status).toBe(200)
      await redis.start()
      await waitFor(
        async () => (await fetch(`${web.url}/readyz`)).status === 200,
        'readiness after the restart',
      )
      const accepted = await hook()
      expect(accepted.status).toBe(202)
      expect(await accepted.json()).toEqual({ queued: ['docker.io/acme/app'], ignored: [] })
    } finally {
      await web.close()
    }
  }, 20_000)
})
