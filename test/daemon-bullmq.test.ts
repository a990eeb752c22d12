// Distributed mode on a real redis-server: two worker PROCESSES share the queues; this process runs the
// scheduler and web roles. Updates of one config repository never overlap, each trigger burst is
// handled exactly once, a trigger during a run gets exactly one more run, stale schedulers go away.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StatusSnapshot } from '../src/server/status.js'
import { type Daemon, startDaemon } from '../workers/daemon.js'
import { createLogger } from '../workers/logger.js'
import {
  assertNoOverlap,
  count,
  type EventLog,
  fileLog,
  memoryLog,
  type RecordingSetup,
  recordingHandlers,
  sleep,
  waitFor,
} from './support/daemon-helpers.js'
import { type DaemonProcess, spawnDaemonProcess } from './support/daemon-process.js'
import { startRedis, type TestRedis } from './support/redis.js'

const COALESCE_MS = 300
const UPDATE_MS = 250
const REPOS = ['http://127.0.0.1:1/a.git', 'http://127.0.0.1:1/b.git', 'http://127.0.0.1:1/c.git']
const NGINX = 'docker.io/library/nginx'
const APP = 'ghcr.io/acme/app'

let redis: TestRedis
let dir: string
let workerLog: EventLog
let workers: DaemonProcess[] = []
let scheduler: Daemon
const schedulerSetup: RecordingSetup = {
  log: memoryLog(),
  images: [
    { image: NGINX, configRepos: [], intervalMs: 3_600_000 },
    { image: APP, configRepos: [], intervalMs: 3_600_000 },
  ],
}

beforeAll(async () => {
  redis = await startRedis()
  dir = mkdtempSync(join(tmpdir(), 'imagebot-daemon-'))
  const eventsFile = join(dir, 'events.jsonl')
  workerLog = fileLog(eventsFile)
  const env = {
    REDIS_URL: redis.url,
    EVENTS_FILE: eventsFile,
    ROLE: 'worker',
    UPDATE_MS: String(UPDATE_MS),
    COALESCE_MS: String(COALESCE_MS),
  }
  workers = await Promise.all([spawnDaemonProcess(env), spawnDaemonProcess(env)])
  scheduler = await startDaemon({
    handlers: recordingHandlers(schedulerSetup),
    backend: { redisUrl: redis.url },
    role: 'scheduler',
    listen: '127.0.0.1:0',
    coalesceMs: COALESCE_MS,
    logger: createLogger({ level: 'silent' }),
  })
}, 30_000)

afterAll(async () => {
  await scheduler?.close()
  await Promise.all(workers.map((worker) => worker.stop()))
  await redis?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const updateEnds = (repo?: string) => count(workerLog.all(), 'update', 'end', repo)

describe('BullMQ daemon with two worker processes', () => {
  it('handles each burst of triggers for 3 repositories exactly once, never overlapping', async () => {
    const rounds = 3
    for (let round = 1; round <= rounds; round++) {
      for (let i = 0; i < 5; i++) {
        for (const repo of REPOS) await scheduler.backend.enqueueUpdate(repo)
      }
      await waitFor(() => REPOS.every((repo) => updateEnds(repo) === round), `round ${round} of updates`)
    }
    await sleep(COALESCE_MS + UPDATE_MS + 200)
    const events = workerLog.all()
    for (const repo of REPOS) expect(count(events, 'update', 'end', repo)).toBe(rounds)
    assertNoOverlap(events, 'update')
    const pids = new Set(events.filter((e) => e.kind === 'update').map((e) => e.pid))
    expect(pids).toEqual(new Set(workers.map((w) => w.pid)))
  })

  it('runs exactly once more when a trigger arrives during a run in another process', async () => {
    const repo = REPOS[0]!
    const before = updateEnds(repo)
    await scheduler.backend.enqueueUpdate(repo)
    await waitFor(() => count(workerLog.all(), 'update', 'start', repo) === before + 1, 'the run to start')
    await scheduler.backend.enqueueUpdate(repo)
    await scheduler.backend.enqueueUpdate(repo)
    await waitFor(() => updateEnds(repo) === before + 2, 'the follow-up run')
    await sleep(COALESCE_MS + UPDATE_MS + 200)
    expect(updateEnds(repo)).toBe(before + 2)
    assertNoOverlap(workerLog.all(), 'update')
  })

  it('delays an update whose repository lock another process holds', async () => {
    const repo = REPOS[1]!
    const before = updateEnds(repo)
    const lease = await scheduler.backend.acquireLock(`update:${repo}`, 10_000)
    expect(lease).toBeDefined()
    await scheduler.backend.enqueueUpdate(repo)
    await sleep(COALESCE_MS + 500)
    expect(count(workerLog.all(), 'update', 'start', repo)).toBe(before)
    await lease!.release()
    await waitFor(() => updateEnds(repo) === before + 1, 'the delayed update')
  })

  it('keeps one scheduler per discovered image, scanned by the workers, and removes stale ones', async () => {
    await waitFor(async () => (await scheduler.backend.listSchedules()).length === 2, 'two schedulers')
    await waitFor(
      () => count(workerLog.all(), 'scan', 'end', APP) >= 1,
      'a scan of the app image by a worker',
    )
    schedulerSetup.images = schedulerSetup.images.filter((entry) => entry.image === NGINX)
    await scheduler.backend.requestDiscover()
    await waitFor(
      async () => (await scheduler.backend.listSchedules()).length === 1,
      'the stale scheduler removal',
    )
    expect(await scheduler.backend.listSchedules()).toEqual([{ image: NGINX, everyMs: 3_600_000 }])
    const status = (await (await fetch(`${scheduler.url}/status`)).json()) as StatusSnapshot
    expect(status.images.map((i) => i.image)).toEqual([NGINX])
    expect(status.configRepos.map((r) => r.configRepo).sort()).toEqual(REPOS)
    expect((await fetch(`${scheduler.url}/readyz`)).status).toBe(200)
  })

  it('lets a running update finish when its worker process gets SIGTERM', async () => {
    const repo = REPOS[2]!
    const before = updateEnds(repo)
    await scheduler.backend.enqueueUpdate(repo)
    const started = await waitFor(
      () =>
        workerLog.all().filter((e) => e.kind === 'update' && e.key === repo && e.phase === 'start')[before],
      'the update to start',
    )
    const worker = workers.find((w) => w.pid === started.pid)!
    await worker.stop('SIGTERM')
    expect(worker.child.exitCode).toBe(0)
    const ends = workerLog.all().filter((e) => e.kind === 'update' && e.key === repo && e.phase === 'end')
    expect(ends).toHaveLength(before + 1)
    expect(ends[before]!.pid).toBe(started.pid)
  })
})
