import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRedis, type TestRedis } from '../../test/support/redis.js'
import { memoryStatusStore, type StatusStore } from './status.js'
import { redisStatusStore } from './status-redis.js'

let server: TestRedis
let client: Redis

beforeAll(async () => {
  server = await startRedis()
  client = new Redis(server.url)
})
afterAll(async () => {
  client?.disconnect()
  await server?.stop()
})

const AT = new Date('2024-05-01T10:00:00Z')
const LATER = new Date('2024-05-01T11:00:00Z')
const target = {
  file: 'a.yaml',
  workload: 'default:deployment/a',
  container: 'a',
  current: 'a:1',
  reason: 'latest',
}

const stores: Record<string, () => StatusStore> = {
  memory: () => memoryStatusStore(),
  redis: () => redisStatusStore(client, `s${Math.random().toString(36).slice(2)}`),
}

describe.each(Object.keys(stores))('%s StatusStore', (name) => {
  it('merges discovery and scans per image, and forgets images no longer discovered', async () => {
    const store = stores[name]!()
    expect(await store.discoveredAt()).toBeUndefined()
    await store.recordDiscovery(
      [
        { image: 'docker.io/library/b', configRepos: ['r1'], intervalMs: 1000 },
        { image: 'docker.io/library/a', configRepos: ['r1', 'r2'], intervalMs: 2000 },
      ],
      AT,
    )
    await store.recordScan(
      'docker.io/library/a',
      { changed: true, affectedConfigRepos: ['r1'], tagsSeen: 4 },
      AT,
    )
    await store.recordScanFailure('docker.io/library/b', 'registry said 503', LATER)
    expect(await store.snapshot()).toEqual({
      discoveredAt: AT.toISOString(),
      images: [
        {
          image: 'docker.io/library/a',
          configRepos: ['r1', 'r2'],
          intervalMs: 2000,
          lastScanAt: AT.toISOString(),
          tagsSeen: 4,
          changed: true,
        },
        {
          image: 'docker.io/library/b',
          configRepos: ['r1'],
          intervalMs: 1000,
          lastScanAt: LATER.toISOString(),
          error: 'registry said 503',
        },
      ],
      configRepos: [],
    })
    expect(await store.isKnownImage('docker.io/library/b')).toBe(true)
    await store.recordDiscovery(
      [{ image: 'docker.io/library/a', configRepos: ['r1'], intervalMs: 2000 }],
      LATER,
    )
    expect(await store.isKnownImage('docker.io/library/b')).toBe(false)
    expect((await store.snapshot()).images.map((i) => i.image)).toEqual(['docker.io/library/a'])
  })

  it('keeps the last commit across runs that push nothing, and targets across failed runs', async () => {
    const store = stores[name]!()
    await store.recordUpdate('r1', { commit: 'abc123', updates: 1, errors: [], targets: [target] }, AT)
    await store.recordUpdate('r1', { updates: 0, errors: [], targets: [target] }, LATER)
    await store.recordUpdateFailure('r1', 'push rejected twice', LATER)
    expect((await store.snapshot()).configRepos).toEqual([
      {
        configRepo: 'r1',
        lastRunAt: LATER.toISOString(),
        lastCommit: 'abc123',
        lastCommitAt: AT.toISOString(),
        updates: 0,
        errors: ['push rejected twice'],
        targets: [target],
      },
    ])
  })
})
