// tags/list pagination through paginating fronts before the real registry (2.8 itself ignores n).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRegistryClient } from '../src/registry/client.js'
import { type ObserveRequest, observe } from '../src/registry/observe.js'
import type { RegistrySettings } from '../src/registry/settings.js'
import { startFaultFront } from './support/faults.js'
import {
  type CountingFront,
  type Front,
  type PaginatingFrontOptions,
  startCountingFront,
  startPaginatingFront,
} from './support/fronts.js'
import { buildImage, RegistryPusher } from './support/push-image.js'
import { startRegistry, type TestRegistry } from './support/registry.js'

const TAGS = Array.from({ length: 25 }, (_, i) => `1.0.${String(i).padStart(2, '0')}`)
let registry: TestRegistry
const fronts: Front[] = []

beforeAll(async () => {
  registry = await startRegistry()
  const pusher = new RegistryPusher(registry.url)
  const image = buildImage({ created: '2024-01-01T00:00:00Z' })
  for (const repository of ['team/one', 'team/two']) {
    await pusher.uploadBlob(repository, image.config)
    for (const tag of TAGS) await pusher.putManifest(repository, tag, image.manifest, image.mediaType)
  }
})
afterAll(async () => {
  for (const front of fronts) await front.stop()
  await registry.stop()
})

/** counter → paginating front → registry, so the counter sees what the client sends. */
async function paginated(options: PaginatingFrontOptions): Promise<CountingFront> {
  const pager = await startPaginatingFront(registry.url, options)
  const counter = await startCountingFront(pager.url)
  fronts.push(pager, counter)
  return counter
}

async function scan(front: Front, settings: Partial<RegistrySettings>, requests?: Partial<ObserveRequest>) {
  const client = createRegistryClient({
    registries: [{ host: front.host, endpoint: front.url, ...settings }],
  })
  const repositories = ['team/one', 'team/two']
  const all = repositories.map((repository) => ({ image: { registry: front.host, repository }, ...requests }))
  const result = await observe(client, all, { concurrency: 1 })
  return repositories.map((repository) => result.get(`${front.host}/${repository}`)!)
}

describe('pagination', () => {
  it('follows relative Link headers until the last page', async () => {
    const front = await paginated({ link: 'relative' })
    const [one, two] = await scan(front, { pageSize: 10 })
    expect(one?.tags).toEqual(TAGS)
    expect(two?.tags).toEqual(TAGS)
    expect(one?.problems).toEqual([])
    expect(front.counts.tags).toBe(6)
  })

  it('follows absolute Link headers on the same host', async () => {
    const front = await paginated({ link: 'absolute' })
    const [one] = await scan(front, { pageSize: 10 })
    expect(one?.tags).toEqual(TAGS)
  })

  it('does not follow a Link to another host, and says the list is incomplete', async () => {
    const front = await paginated({ link: 'cross-host' })
    const [one] = await scan(front, { pageSize: 10 })
    expect(one?.tags).toEqual(TAGS.slice(0, 10))
    expect(front.counts.tags).toBe(2)
    expect(one?.problems[0]?.message).toMatch(
      /next tags page is on another host \(localhost:\d+\); not followed/,
    )
  })

  it('retries with a smaller n when the page size is refused (400), and remembers it', async () => {
    const front = await paginated({ maxPageSize: 50, rejectStatus: 400 })
    const [one, two] = await scan(front, { pageSize: 1000 })
    expect(one?.tags).toEqual(TAGS)
    expect(two?.tags).toEqual(TAGS)
    // 1000 → 400, 100 → 400, 50 → ok; the second repository starts at 50.
    expect(front.counts.tags).toBe(4)
  })

  it('handles ECR-style 405 the same way', async () => {
    const front = await paginated({ maxPageSize: 100, rejectStatus: 405 })
    const [one] = await scan(front, { pageSize: 1000 })
    expect(one?.tags).toEqual(TAGS)
    expect(one?.problems).toEqual([])
  })

  it('stops at maxPages with a warning', async () => {
    const front = await paginated({})
    const [one] = await scan(front, { pageSize: 10, maxPages: 2 })
    expect(one?.tags).toEqual(TAGS.slice(0, 20))
    expect(one?.problems[0]?.message).toMatch(/stopped after 2 pages/)
  })

  it('drops unwanted tags as pages arrive and counts what was seen', async () => {
    const front = await paginated({})
    const [one] = await scan(front, { pageSize: 10 }, { keepTag: (tag) => tag.endsWith('7') })
    expect(one?.tags).toEqual(['1.0.07', '1.0.17'])
    expect(one?.tagsSeen).toBe(25)
  })
})

describe('tag validation', () => {
  it('drops tags that break the tag grammar instead of passing them on', async () => {
    const front = await startFaultFront(registry.url)
    fronts.push(front)
    const body = { name: 'team/one', tags: ['1.0.0', '-bad', 'x'.repeat(129), 'ok_2', 7, '1.0.0'] }
    front.add({
      kind: 'tags',
      path: 'team/one',
      fault: { type: 'body', status: 200, body: JSON.stringify(body) },
    })
    const [one, two] = await scan(front, {})
    expect(one?.tags).toEqual(['1.0.0', 'ok_2'])
    expect(one?.tagsSeen).toBe(2)
    expect(two?.tags).toHaveLength(25)
  })
})
