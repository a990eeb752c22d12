// Issue 12 §3, against the real redis-server without persistence and the daemon in a process of its own:
// - a Redis restart that loses the data (no AOF) is detected and rebuilt: discovery runs again, the scan
//   schedules come back, the scan a webhook had been answered 202 for runs, and the config repo is updated;
//   before, the daemon stayed idle (readyz 503 "discovery has not run yet") until restarted;
// - GET /status answers within a second while Redis is down, saying it is unreachable; before, it hung;
// - SIGTERM after an outage of 8 s or more ends the process within the grace period (exit 1, with a log
//   line naming what did not finish); before, "daemon stopping" was the last line and the process stayed.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signSha256 } from '../src/server/webhooks/index.js'
import { type EventLog, fileLog, sleep, waitFor } from './support/daemon-helpers.js'
import { type DaemonProcess, spawnDaemonProcess } from './support/daemon-process.js'
import { startRedis, type TestRedis } from './support/redis.js'

const APP = 'docker.io/acme/app'
const REPO = 'http://127.0.0.1:1/config.git'
const SECRET = 'generic-s3cret-0123456789'
const GRACE_MS = 2_000

let redis: TestRedis
let dir: string
const processes: DaemonProcess[] = []

beforeAll(async () => {
  redis = await startRedis({ appendonly: false })
  dir = mkdtempSync(join(tmpdir(), 'imagebot-outage-'))
}, 20_000)

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop('SIGKILL')))
  await redis?.stop()
  if (dir && !process.env.KEEP_LOGS) rmSync(dir, { recursive: true, force: true })
})

async function spawnAll(name: string, extra: Record<string, string> = {}) {
  const daemon = await spawnDaemonProcess({
    REDIS_URL: redis.url,
    PREFIX: name,
    ROLE: 'all',
    LISTEN: '127.0.0.1:0',
    EVENTS_FILE: join(dir, `${name}.jsonl`),
    LOG_FILE: join(dir, `${name}.log`),
    LOG_LEVEL: 'info',
    IMAGES: JSON.stringify([{ image: APP, configRepos: [REPO], intervalMs: 3_600_000 }]),
    WEBHOOKS: JSON.stringify([{ type: 'generic', secret: SECRET }]),
    COALESCE_MS: '0',
    UPDATE_MS: '0',
    SHUTDOWN_GRACE_MS: String(GRACE_MS),
    DATA_LOSS_CHECK_MS: '500',
    ...extra,
  })
  processes.push(daemon)
  const url = /ready (\S+)/.exec(daemon.readyOutput)![1]!
  return { daemon, url, log: fileLog(join(dir, `${name}.jsonl`)) }
}

const since = (log: EventLog, kind: 'discover' | 'scan' | 'update', phase: 'start' | 'end', since: number) =>
  log.all().filter((event) => event.kind === kind && event.phase === phase && event.at >= since).length

function postWebhook(url: string) {
  const body = JSON.stringify({ repository: APP })
  return fetch(`${url}/hooks/generic`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': signSha256(body, SECRET) },
    body,
  })
}

describe('Redis restarted without persistence', () => {
  it('rebuilds schedules and runs the scan a webhook got 202 for', async () => {
    const { url, log } = await spawnAll('rebuild', { SCAN_MS: '1500', SCAN_CHANGED: '1' })
    await waitFor(() => since(log, 'update', 'end', 0) >= 1, 'the first scan and update', 15_000)
    // The webhook's scan starts (1.5 s long); Redis loses everything while it runs.
    expect((await postWebhook(url)).status).toBe(202)
    await waitFor(() => since(log, 'scan', 'start', 0) >= 2, 'the webhook scan to start', 10_000)
    await redis.restart()
    const restartedAt = Date.now()
    await waitFor(
      () => since(log, 'discover', 'end', restartedAt) >= 1,
      'discovery after the restart',
      15_000,
    )
    await waitFor(() => since(log, 'scan', 'end', restartedAt + 100) >= 1, 'a scan after the restart', 15_000)
    await waitFor(() => since(log, 'update', 'end', restartedAt) >= 1, 'an update after the restart', 15_000)
    const ready = await fetch(`${url}/readyz`)
    expect(ready.status).toBe(200)
    const logText = readFileSync(join(dir, 'rebuild.log'), 'utf8')
    expect(logText).toContain('Redis lost its data')
  }, 60_000)
})

describe('Redis down for 9 s', () => {
  it('/status answers within a second saying Redis is unreachable; SIGTERM still ends the process', async () => {
    const { daemon, url, log } = await spawnAll('outage')
    await waitFor(() => since(log, 'scan', 'end', 0) >= 1, 'the first scan', 15_000)
    const before = (await (await fetch(`${url}/status`)).json()) as { redis?: unknown }
    expect(before.redis).toEqual({ reachable: true })
    await redis.kill()
    try {
      const answer = await fetch(`${url}/status`, { signal: AbortSignal.timeout(1_000) })
      expect(answer.status).toBe(200)
      const body = (await answer.json()) as {
        redis: { reachable: boolean; snapshotAt?: string }
        images: { image: string }[]
      }
      expect(body.redis.reachable).toBe(false)
      expect(body.redis.snapshotAt).toEqual(expect.any(String))
      // What the process knew is still shown.
      expect(body.images.map((image) => image.image)).toEqual([APP])
      await sleep(9_000)
      const exited = new Promise<number | null>((resolve) =>
        daemon.child.once('exit', (code) => resolve(code)),
      )
      const signalledAt = Date.now()
      daemon.child.kill('SIGTERM')
      const code = await Promise.race([exited, sleep(GRACE_MS + 5_000).then(() => 'still running' as const)])
      expect(code).not.toBe('still running')
      expect(Date.now() - signalledAt).toBeLessThan(GRACE_MS + 5_000)
      const logText = readFileSync(join(dir, 'outage.log'), 'utf8')
      if (code !== 0) {
        expect(code).toBe(1)
        expect(logText).toMatch(/shutdown did not finish within 2000 ms; closed forcibly, unfinished: /)
      }
    } finally {
      await redis.start()
    }
  }, 60_000)
})
