// The job semantics both backends promise (src/queue/backend.ts), run against each: embedded in-process
// and BullMQ on a real redis-server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { JobBackend, JobProcessors } from '../src/queue/backend.js'
import { BullmqBackend } from '../src/queue/bullmq.js'
import { EmbeddedBackend } from '../src/queue/embedded.js'
import { sleep, waitFor } from './support/daemon-helpers.js'
import { startRedis, type TestRedis } from './support/redis.js'

const COALESCE_MS = 300

let redis: TestRedis
let prefixSeq = 0
const dropped: string[] = []

beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  await redis?.stop()
})

const factories: Record<string, () => JobBackend> = {
  embedded: () =>
    new EmbeddedBackend({ coalesceMs: COALESCE_MS, attempts: 2, backoffMs: 50 }, (kind, key) =>
      dropped.push(`${kind}:${key}`),
    ),
  bullmq: () =>
    new BullmqBackend({
      redisUrl: redis.url,
      prefix: `t${++prefixSeq}`,
      coalesceMs: COALESCE_MS,
      attempts: 2,
      backoffMs: 50,
      onDropped: (kind, key) => dropped.push(`${kind}:${key}`),
    }),
}

interface Run {
  key: string
  start: number
  end?: number
}

function recorder(ms: number) {
  const runs: Run[] = []
  const run = async (key: string) => {
    const entry: Run = { key, start: Date.now() }
    runs.push(entry)
    await sleep(ms)
    entry.end = Date.now()
    return undefined
  }
  return { runs, run }
}

describe.each(Object.keys(factories))('%s backend', (name) => {
  let backend: JobBackend
  const start = async (processors: JobProcessors) => {
    backend = factories[name]!()
    await backend.process(processors)
    return backend
  }
  afterEach(async () => {
    await backend?.close()
    dropped.length = 0
  })

  it('coalesces a burst of update triggers into one run', async () => {
    const { runs, run } = recorder(10)
    await start({ update: run })
    const t0 = Date.now()
    for (let i = 0; i < 5; i++) await backend.enqueueUpdate('https://git/a.git')
    await waitFor(() => runs[0]?.end, 'the update')
    await sleep(COALESCE_MS + 200)
    expect(runs).toHaveLength(1)
    expect(runs[0]!.start - t0).toBeGreaterThanOrEqual(COALESCE_MS - 5)
  })

  it('runs exactly once more after a trigger that arrives during a run', async () => {
    const { runs, run } = recorder(400)
    await start({ update: run })
    await backend.enqueueUpdate('repo')
    await waitFor(() => runs.length === 1, 'the first run to start')
    for (let i = 0; i < 3; i++) await backend.enqueueUpdate('repo')
    await waitFor(() => runs[1]?.end, 'the second run', 5000)
    await sleep(COALESCE_MS + 300)
    expect(runs).toHaveLength(2)
    expect(runs[1]!.start).toBeGreaterThanOrEqual(runs[0]!.end!)
  })

  it('runs the same job again when the processor asks to retry later', async () => {
    let calls = 0
    await start({
      scan: async () => (++calls === 1 ? { retryInMs: 100 } : undefined),
    })
    await backend.enqueueScan('docker.io/library/nginx')
    await waitFor(() => calls === 2, 'the retry')
    await sleep(300)
    expect(calls).toBe(2)
  })

  it('retries a failing job up to its attempts, then drops it', async () => {
    let calls = 0
    await start({
      scan: async () => {
        calls++
        throw new Error('registry down')
      },
    })
    await backend.enqueueScan('ghcr.io/acme/app')
    await waitFor(() => dropped.includes('scan:ghcr.io/acme/app'), 'the drop')
    expect(calls).toBe(2)
  })

  it('scans on a schedule at once and periodically, and stops when the schedule is removed', async () => {
    const scans: string[] = []
    await start({ scan: async (image) => void scans.push(image) })
    await backend.upsertSchedule('docker.io/library/redis', 150)
    await waitFor(() => scans.length >= 3, 'three scheduled scans')
    expect(await backend.listSchedules()).toEqual([{ image: 'docker.io/library/redis', everyMs: 150 }])
    await backend.removeSchedule('docker.io/library/redis')
    expect(await backend.listSchedules()).toEqual([])
    // A tick queued just before the removal may still scan once; after that, nothing.
    await sleep(300)
    const seen = scans.length
    await sleep(400)
    expect(scans.length).toBe(seen)
  })

  it('gives a lock to one holder at a time', async () => {
    await start({})
    const first = await backend.acquireLock('update:repo', 5000)
    expect(first).toBeDefined()
    expect(await backend.acquireLock('update:repo', 5000)).toBeUndefined()
    expect(await backend.acquireLock('update:other', 5000)).toBeDefined()
    await first!.release()
    expect(await backend.acquireLock('update:repo', 5000)).toBeDefined()
    expect(await backend.ready()).toBe(true)
  })
})
