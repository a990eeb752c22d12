// The embedded daemon end to end with recording handlers: discovery → schedules → scans → updates,
// stale schedules removed, a locked repository delayed (not dropped), shutdown waits for a running update.
import { afterEach, describe, expect, it } from 'vitest'
import type { ScheduledImage } from '../src/queue/contract.js'
import { type Daemon, startDaemon } from '../workers/daemon.js'
import { createLogger } from '../workers/logger.js'
import {
  type CallEvent,
  count,
  memoryLog,
  type RecordingSetup,
  recordingHandlers,
  sleep,
  waitFor,
} from './support/daemon-helpers.js'

const NGINX = 'docker.io/library/nginx'
const APP = 'ghcr.io/acme/app'
const REPO_A = 'http://127.0.0.1:1/a.git'
const REPO_B = 'http://127.0.0.1:1/b.git'
const COALESCE_MS = 200

let daemon: Daemon | undefined
afterEach(async () => {
  await daemon?.close()
  daemon = undefined
})

function images(): ScheduledImage[] {
  return [
    { image: NGINX, configRepos: [REPO_A, REPO_B], intervalMs: 60_000 },
    { image: APP, configRepos: [REPO_B], intervalMs: 60_000 },
  ]
}

async function start(setup: RecordingSetup) {
  daemon = await startDaemon({
    handlers: recordingHandlers(setup),
    backend: 'embedded',
    listen: '127.0.0.1:0',
    coalesceMs: COALESCE_MS,
    logger: createLogger({ level: 'silent' }),
    tuning: { lockRetryMs: 50 },
  })
  return daemon
}

describe('embedded daemon', () => {
  it('discovers, schedules a scan per image, and updates each config repository once per burst', async () => {
    const log = memoryLog()
    const changed = new Set([NGINX])
    const d = await start({
      log,
      images: images(),
      scanOutcome: (image) => ({
        changed: changed.delete(image),
        affectedConfigRepos: image === NGINX ? [REPO_A, REPO_B] : [REPO_B],
        tagsSeen: 7,
      }),
      updateOutcome: (repo) => ({
        commit: repo === REPO_A ? 'c0ffee' : undefined,
        updates: repo === REPO_A ? 1 : 0,
        errors: [],
        targets: [
          {
            file: 'app.yaml',
            workload: 'default:deployment/app',
            container: 'app',
            current: 'nginx:1.0',
            next: '1.1',
            reason: 'newer',
          },
        ],
      }),
    })
    await waitFor(() => count(log.all(), 'update', 'end') >= 2, 'the first updates')
    await sleep(COALESCE_MS * 3)
    const events = log.all()
    expect(count(events, 'scan', 'end', NGINX)).toBe(1)
    expect(count(events, 'scan', 'end', APP)).toBe(1)
    // New repositories and NGINX's changed tags trigger within one window: one run each.
    expect(count(events, 'update', 'end', REPO_A)).toBe(1)
    expect(count(events, 'update', 'end', REPO_B)).toBe(1)
    // REPO_A pushed a commit, so discovery ran again.
    expect(count(events, 'discover', 'end')).toBe(2)
    expect((await d.backend.listSchedules()).map((s) => s.image).sort()).toEqual([APP, NGINX].sort())

    const status = await d.status.snapshot()
    expect(status.images.find((i) => i.image === NGINX)).toMatchObject({ tagsSeen: 7, changed: true })
    expect(status.configRepos.find((r) => r.configRepo === REPO_A)).toMatchObject({
      lastCommit: 'c0ffee',
      targets: [{ current: 'nginx:1.0', next: '1.1' }],
    })
  })

  it('removes the schedule of an image no longer discovered', async () => {
    const setup: RecordingSetup = { log: memoryLog(), images: images() }
    const d = await start(setup)
    await waitFor(async () => (await d.backend.listSchedules()).length === 2, 'two schedules')
    setup.images = [images()[0]!]
    await d.backend.requestDiscover()
    await waitFor(async () => (await d.backend.listSchedules()).length === 1, 'the stale schedule removal')
    expect(await d.backend.listSchedules()).toEqual([{ image: NGINX, everyMs: 60_000 }])
    expect((await d.status.snapshot()).images.map((i) => i.image)).toEqual([NGINX])
  })

  it('delays an update while its repository is locked, then runs it', async () => {
    const log = memoryLog()
    const d = await start({ log, images: [] })
    const lease = await d.backend.acquireLock(`update:${REPO_A}`, 10_000)
    await d.backend.enqueueUpdate(REPO_A)
    await sleep(COALESCE_MS + 300)
    expect(count(log.all(), 'update', 'start', REPO_A)).toBe(0)
    await lease!.release()
    await waitFor(() => count(log.all(), 'update', 'end', REPO_A) === 1, 'the delayed update')
  })

  it('lets a running update finish on close', async () => {
    const log = memoryLog()
    const d = await start({ log, images: [], updateMs: 400 })
    await d.backend.enqueueUpdate(REPO_A)
    await waitFor(() => count(log.all(), 'update', 'start') === 1, 'the update to start')
    await d.close()
    const ends = log.all().filter((e: CallEvent) => e.kind === 'update' && e.phase === 'end')
    expect(ends).toHaveLength(1)
  })

  it('refuses the distributed roles without Redis', async () => {
    await expect(
      startDaemon({
        handlers: recordingHandlers({ log: memoryLog(), images: [] }),
        backend: 'embedded',
        role: 'worker',
      }),
    ).rejects.toThrow(/needs Redis/)
  })
})
