// Request counting through a counter front: a steady-state scan costs exactly one tags/list per
// page per repository and no manifest or blob request, also after a restart with the same state
// directory; only new (or expired) tags cost manifest and blob requests.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { STATE_FILE } from '../src/registry/cache.js'
import { createRegistryClient, type RegistryClientOptions } from '../src/registry/client.js'
import { observe } from '../src/registry/observe.js'
import { type CountingFront, type Front, startCountingFront, startPaginatingFront } from './support/fronts.js'
import { pushImage } from './support/push-image.js'
import { startRegistry, type TestRegistry } from './support/registry.js'

const REPOSITORIES = ['team/one', 'team/two', 'team/copy']
let registry: TestRegistry
let pager: Front
let counter: CountingFront
let stateDir: string

beforeAll(async () => {
  registry = await startRegistry()
  for (const [index, tag] of ['1.0', '1.1', '1.2'].entries()) {
    const created = `2024-0${index + 1}-01T00:00:00Z`
    await pushImage(registry.url, 'team/one', tag, { created })
    // team/copy holds the same images (same digests) as team/one: blobs are fetched once.
    await pushImage(registry.url, 'team/copy', tag, { created })
    await pushImage(registry.url, 'team/two', tag, { created, labels: { repo: 'two' } })
  }
  // counter → pager (2 tags per page: 3 tags = 2 pages) → registry
  pager = await startPaginatingFront(registry.url)
  counter = await startCountingFront(pager.url)
})
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'imagebot-state-'))
  counter.reset()
})
afterEach(() => rm(stateDir, { recursive: true, force: true }))
afterAll(async () => {
  await counter.stop()
  await pager.stop()
  await registry.stop()
})

function newClient(extra: Partial<RegistryClientOptions> = {}) {
  return createRegistryClient({
    registries: [{ host: counter.host, endpoint: counter.url, pageSize: 2 }],
    stateDir,
    ...extra,
  })
}

async function scan(client: ReturnType<typeof newClient>) {
  counter.reset()
  const requests = REPOSITORIES.map((repository) => ({
    image: { registry: counter.host, repository },
    wantsMetadata: () => true,
  }))
  const result = await observe(client, requests, { concurrency: 1 })
  for (const observation of result.values()) expect(observation.problems).toEqual([])
  return result
}

describe('request counts', () => {
  it('first scan: one manifest per tag, one blob per distinct digest', async () => {
    const result = await scan(newClient())
    expect(counter.counts).toMatchObject({ ping: 1, tags: 6, manifest: 9, blob: 6 })
    expect(result.get(`${counter.host}/team/copy`)?.metadata.get('1.2')?.created).toBe('2024-03-01T00:00:00Z')
  })

  it('steady state: exactly one tags/list per page per repository, nothing else', async () => {
    const client = newClient()
    const first = await scan(client)
    const second = await scan(client)
    expect(counter.counts).toMatchObject({ ping: 0, tags: 6, manifest: 0, blob: 0 })
    expect(counter.total()).toBe(6)
    expect([...second.entries()].map(([key, o]) => [key, [...o.metadata]])).toEqual(
      [...first.entries()].map(([key, o]) => [key, [...o.metadata]]),
    )
  })

  it('after a restart with the same state directory: the same', async () => {
    await scan(newClient())
    const restarted = await scan(newClient())
    expect(counter.counts).toMatchObject({ tags: 6, manifest: 0, blob: 0 })
    expect(counter.counts.ping).toBeLessThanOrEqual(1)
    expect(restarted.get(`${counter.host}/team/two`)?.metadata.get('1.0')?.labels).toEqual({ repo: 'two' })
    expect((await readdir(stateDir)).sort()).toEqual([STATE_FILE])
  })

  it('a new tag costs one manifest and one blob request', async () => {
    const client = newClient()
    await scan(client)
    await pushImage(registry.url, 'team/two', '1.3', { created: '2024-04-01T00:00:00Z' })
    try {
      const result = await scan(client)
      expect(counter.counts).toMatchObject({ tags: 6, manifest: 1, blob: 1 })
      expect(result.get(`${counter.host}/team/two`)?.metadata.get('1.3')?.created).toBe(
        '2024-04-01T00:00:00Z',
      )
    } finally {
      await deleteTag('team/two', '1.3')
    }
  })

  it('an expired entry is re-validated with HEAD, which finds a re-pushed tag', async () => {
    const client = newClient()
    await scan(client)
    await pushImage(registry.url, 'team/two', '1.0', { created: '2024-06-06T00:00:00Z' })
    try {
      const cached = await scan(client)
      // Within the TTL a re-pushed tag keeps its cached metadata: the documented trade-off.
      expect(cached.get(`${counter.host}/team/two`)?.metadata.get('1.0')?.created).toBe(
        '2024-01-01T00:00:00Z',
      )
      const expiring = newClient({ tagTtlMs: 0 })
      const revalidated = await scan(expiring)
      expect(counter.methods.HEAD).toBe(9)
      expect(counter.counts).toMatchObject({ manifest: 10, blob: 1 })
      expect(revalidated.get(`${counter.host}/team/two`)?.metadata.get('1.0')?.created).toBe(
        '2024-06-06T00:00:00Z',
      )
    } finally {
      await pushImage(registry.url, 'team/two', '1.0', {
        created: '2024-01-01T00:00:00Z',
        labels: { repo: 'two' },
      })
    }
  })

  it('tags no policy wants are neither fetched nor kept', async () => {
    const client = newClient()
    counter.reset()
    const request = {
      image: { registry: counter.host, repository: 'team/one' },
      keepTag: (tag: string) => tag !== '1.1',
      wantsMetadata: (tag: string) => tag === '1.2',
    }
    const result = await observe(client, [request])
    const observation = result.get(`${counter.host}/team/one`)
    expect(observation?.tags).toEqual(['1.0', '1.2'])
    expect([...(observation?.metadata.keys() ?? [])]).toEqual(['1.2'])
    expect(counter.counts).toMatchObject({ manifest: 1, blob: 1 })
  })

  it('an unreadable state file is ignored with a warning', async () => {
    await writeFile(join(stateDir, STATE_FILE), '{ not json')
    const client = newClient()
    await scan(client)
    expect(client.warnings[0]).toMatch(
      /registry-cache\.json is unreadable; starting with an empty registry cache/,
    )
    await scan(newClient())
    expect(counter.counts).toMatchObject({ manifest: 0, blob: 0 })
  })
})

async function deleteTag(repository: string, tag: string): Promise<void> {
  // distribution deletes by digest: resolve the tag, then DELETE the manifest.
  const accept = 'application/vnd.oci.image.manifest.v1+json'
  const head = await fetch(`${registry.url}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { accept },
  })
  const digest = head.headers.get('docker-content-digest')
  await fetch(`${registry.url}/v2/${repository}/manifests/${digest}`, { method: 'DELETE' })
}
