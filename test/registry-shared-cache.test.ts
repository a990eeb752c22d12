// The metadata cache shared through Redis, as the processes of a distributed daemon use it: what one
// client fetched costs another client (its own state directory, or none) no manifest or blob request,
// and a Redis that is down costs a warning, never a scan.
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  connectRedisMetadataStore,
  type RedisMetadataConnection,
  redisMetadataStore,
} from '../src/queue/redis-metadata-store.js'
import { createRegistryClient, type RegistryClientOptions } from '../src/registry/client.js'
import { observe, type RepositoryObservation } from '../src/registry/observe.js'
import type { SharedMetadataStore } from '../src/registry/shared-store.js'
import { type CountingFront, type Front, startCountingFront, startPaginatingFront } from './support/fronts.js'
import { pushImage } from './support/push-image.js'
import { startRedis, type TestRedis } from './support/redis.js'
import { startRegistry, type TestRegistry } from './support/registry.js'

const REPOSITORY = 'team/shared'
let registry: TestRegistry
let pager: Front
let counter: CountingFront
let redis: TestRedis
let connection: RedisMetadataConnection
let stateDir: string
const digests: Record<string, string> = {}

beforeAll(async () => {
  registry = await startRegistry()
  redis = await startRedis()
  for (const [index, tag] of ['1.0', '1.1'].entries()) {
    const pushed = await pushImage(registry.url, REPOSITORY, tag, {
      created: `2024-0${index + 1}-01T00:00:00Z`,
    })
    digests[tag] = pushed.digest
  }
  // A multi-arch index: its details are cached under "digest platform".
  const index = await pushImage(registry.url, REPOSITORY, '2.0', {
    created: '2024-05-01T00:00:00Z',
    labels: { flavour: 'multi' },
    platforms: ['linux/amd64', 'linux/arm64'],
  })
  digests['2.0'] = index.digest
  // counter → pager (2 tags per page: 3 tags = 2 pages) → registry
  pager = await startPaginatingFront(registry.url)
  counter = await startCountingFront(pager.url)
  connection = connectRedisMetadataStore(redis.url)
  stateDir = await mkdtemp(join(tmpdir(), 'imagebot-state-'))
})
afterAll(async () => {
  await connection?.close()
  await counter?.stop()
  await pager?.stop()
  await registry?.stop()
  await redis?.stop()
  await rm(stateDir, { recursive: true, force: true })
})

function newClient(sharedStore: SharedMetadataStore, extra: Partial<RegistryClientOptions> = {}) {
  return createRegistryClient({
    registries: [{ host: counter.host, endpoint: counter.url, pageSize: 2 }],
    sharedStore,
    ...extra,
  })
}

async function scan(client: ReturnType<typeof newClient>): Promise<RepositoryObservation> {
  counter.reset()
  const request = { image: { registry: counter.host, repository: REPOSITORY }, wantsMetadata: () => true }
  const observation = (await observe(client, [request])).get(`${counter.host}/${REPOSITORY}`)
  expect(observation?.problems).toEqual([])
  return observation!
}

const isolated: Redis[] = []
/** A store under a key prefix of its own, so that no test sees another's entries. */
function isolatedStore(): { store: SharedMetadataStore; prefix: string; redis: Redis } {
  const prefix = `test-${randomUUID()}`
  const client = new Redis(redis.url)
  isolated.push(client)
  return { store: redisMetadataStore(client, { prefix }), prefix, redis: client }
}
afterAll(() => {
  for (const client of isolated) client.disconnect()
})

describe('metadata shared through Redis', () => {
  it('what one client fetched costs another one tags/list per page and nothing else', async () => {
    const first = await scan(newClient(connection.store, { stateDir }))
    expect(counter.counts.manifest).toBeGreaterThanOrEqual(3)
    expect(counter.counts.blob).toBeGreaterThanOrEqual(2)

    // No state directory: everything it knows comes from Redis.
    const second = await scan(newClient(connection.store))
    expect(counter.counts).toMatchObject({ tags: 2, manifest: 0, blob: 0, upload: 0, other: 0 })
    expect(counter.counts.ping).toBeLessThanOrEqual(1)
    expect([...second.metadata]).toEqual([...first.metadata])
    expect(second.metadata.get('1.1')).toEqual({ digest: digests['1.1'], created: '2024-02-01T00:00:00Z' })
    expect(second.metadata.get('2.0')).toEqual({
      digest: digests['2.0'],
      created: '2024-05-01T00:00:00Z',
      labels: { flavour: 'multi' },
    })
  })

  it('keeps the documented layout: one hash per repository, [digest, checkedAt] per tag', async () => {
    const reader = new Redis(redis.url)
    try {
      const entry = await reader.hget(`imagebot:registry:tags:${counter.host}/${REPOSITORY}`, '1.0')
      const [digest, checkedAt] = JSON.parse(entry ?? 'null') as [string, number]
      expect(digest).toBe(digests['1.0'])
      expect(Date.now() - checkedAt).toBeLessThan(60_000)
      const details = await reader.hget('imagebot:registry:details', digests['1.0']!)
      expect(JSON.parse(details ?? 'null')).toEqual({ created: '2024-01-01T00:00:00Z' })
      expect(await reader.ttl(`imagebot:registry:tags:${counter.host}/${REPOSITORY}`)).toBeGreaterThan(0)
    } finally {
      reader.disconnect()
    }
  })

  it('an expired shared entry is re-validated with one HEAD per tag, its details still shared', async () => {
    const { store } = isolatedStore()
    await scan(newClient(store))
    const expiring = newClient(store, { tagTtlMs: 0 })
    const result = await scan(expiring)
    expect(counter.methods.HEAD).toBe(3)
    expect(counter.counts).toMatchObject({ tags: 2, manifest: 3, blob: 0 })
    expect(result.metadata.get('1.0')?.created).toBe('2024-01-01T00:00:00Z')
  })

  it('an unreadable shared value counts as unknown and is replaced by what the registry says', async () => {
    const { store, prefix, redis: writer } = isolatedStore()
    await writer.hset(`${prefix}:registry:tags:${counter.host}/${REPOSITORY}`, '1.0', '{not json')
    const client = newClient(store)
    const result = await scan(client)
    expect(client.warnings).toEqual([])
    expect(result.metadata.get('1.0')?.digest).toBe(digests['1.0'])
    expect(counter.counts.blob).toBeGreaterThanOrEqual(2)
    expect(await store.getTag(`${counter.host}/${REPOSITORY}`, '1.0')).toMatchObject({
      digest: digests['1.0'],
    })
  })

  it('a Redis that is down: the registry answers instead, with one warning', async () => {
    const down = await startRedis()
    const unreachable = connectRedisMetadataStore(down.url)
    await down.stop()
    try {
      const client = newClient(unreachable.store)
      const started = Date.now()
      const result = await scan(client)
      expect(Date.now() - started).toBeLessThan(5000)
      expect(counter.counts.manifest).toBeGreaterThanOrEqual(3)
      expect(result.metadata.get('2.0')?.created).toBe('2024-05-01T00:00:00Z')
      expect(client.warnings).toHaveLength(1)
      expect(client.warnings[0]).toMatch(/shared registry cache failed .*asking the registry directly/)
    } finally {
      await unreachable.close()
    }
  })
})
