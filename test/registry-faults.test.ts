// Faults injected before the real registry: each gives a clear problem on its repository (never
// a crash, never a wrong tag), transient ones are retried, and other repositories still succeed.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createRegistryClient } from '../src/registry/client.js'
import { observe } from '../src/registry/observe.js'
import type { RegistrySettings } from '../src/registry/settings.js'
import type { RequestEvent } from '../src/registry/transport.js'
import { type Fault, type FaultFront, startFaultFront } from './support/faults.js'
import { pathKind } from './support/fronts.js'
import { pushImage } from './support/push-image.js'
import { startRegistry, type TestRegistry } from './support/registry.js'

let registry: TestRegistry
let front: FaultFront
const FAST: Partial<RegistrySettings> = {
  timeoutMs: 300,
  maxRetries: 2,
  retryBaseMs: 5,
  retryAfterCapMs: 2_000,
}

beforeAll(async () => {
  registry = await startRegistry()
  for (const repository of ['team/bad', 'team/good']) {
    await pushImage(registry.url, repository, '1.0.0', { created: '2024-01-01T00:00:00Z' })
    await pushImage(registry.url, repository, '1.1.0', { created: '2024-02-01T00:00:00Z' })
  }
  front = await startFaultFront(registry.url)
})
afterEach(() => front.clear())
afterAll(async () => {
  await front.stop()
  await registry.stop()
})

async function scan(settings: Partial<RegistrySettings> = {}) {
  const events: RequestEvent[] = []
  const client = createRegistryClient({
    registries: [{ host: front.host, endpoint: front.url, ...FAST, ...settings }],
    onRequest: (event) => events.push(event),
  })
  const requests = ['team/bad', 'team/good'].map((repository) => ({
    image: { registry: front.host, repository },
    wantsMetadata: () => true,
  }))
  const result = await observe(client, requests)
  return { bad: result.get(`${front.host}/team/bad`)!, good: result.get(`${front.host}/team/good`)!, events }
}

function expectGoodUntouched(good: Awaited<ReturnType<typeof scan>>['good']) {
  expect(good.problems).toEqual([])
  expect(good.tags.sort()).toEqual(['1.0.0', '1.1.0'])
  expect(good.metadata.get('1.1.0')?.created).toBe('2024-02-01T00:00:00Z')
}

const permanentTagFaults: [string, Fault, RegExp, boolean][] = [
  ['persistent 500', { type: 'status', status: 500 }, /answered HTTP 500 UNKNOWN/, true],
  ['a hang', { type: 'hang' }, /timed out after 300 ms/, true],
  ['garbage JSON', { type: 'garbage' }, /tags\/list for team\/bad returned a body that is not JSON/, false],
  ['a cut-short body', { type: 'truncate' }, /connection reset|not JSON/, true],
  ['a connection reset', { type: 'reset' }, /connection reset/, true],
  [
    'a redirect loop',
    { type: 'redirect-loop' },
    /loops back to a URL it already visited; not followed/,
    false,
  ],
  [
    'a redirect to another host',
    { type: 'redirect', location: 'http://localhost:1/v2/' },
    /another host/,
    false,
  ],
  ['a 403', { type: 'status', status: 403 }, /access to team\/bad denied \(HTTP 403/, false],
]

describe('failing tag lists', () => {
  it.each(permanentTagFaults)(
    '%s gives a clear problem and no tags',
    async (_name, fault, message, transient) => {
      front.add({ path: 'team/bad', kind: 'tags', fault })
      const { bad, good } = await scan()
      expect(bad.tags).toEqual([])
      expect(bad.problems).toHaveLength(1)
      expect(bad.problems[0]).toMatchObject({ code: 'REGISTRY', image: `${front.host}/team/bad`, transient })
      expect(bad.problems[0]?.message).toMatch(message)
      expectGoodUntouched(good)
    },
  )
})

describe('retries', () => {
  it.each<[string, Fault]>([
    ['500', { type: 'status', status: 503 }],
    ['a reset', { type: 'reset' }],
    ['a hang', { type: 'hang' }],
    ['a cut-short manifest', { type: 'truncate' }],
  ])('recovers from one %s', async (_name, fault) => {
    front.add({ path: 'team/bad', kind: 'manifest', fault, times: 1 })
    const { bad, good } = await scan()
    expect(bad.problems).toEqual([])
    expect(bad.metadata.size).toBe(2)
    expectGoodUntouched(good)
  })

  it('waits Retry-After seconds on 429 and pauses the whole registry meanwhile', async () => {
    front.add({ path: 'team/bad', kind: 'tags', fault: { type: '429', retryAfter: '1' }, times: 1 })
    const started = Date.now()
    const { bad, good } = await scan()
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    expect(bad.problems).toEqual([])
    expect(bad.tags).toHaveLength(2)
    expectGoodUntouched(good)
  })

  it('accepts Retry-After as an HTTP date', async () => {
    const when = new Date(Date.now() + 1500).toUTCString()
    front.add({ path: 'team/bad', kind: 'manifest', fault: { type: '429', retryAfter: when }, times: 1 })
    const started = Date.now()
    const { bad } = await scan()
    expect(Date.now() - started).toBeGreaterThanOrEqual(300)
    expect(bad.problems).toEqual([])
  })

  it('gives up at once when Retry-After exceeds the cap', async () => {
    front.add({ path: 'team/bad', kind: 'tags', fault: { type: '429', retryAfter: '3600' } })
    const started = Date.now()
    const { bad, good, events } = await scan()
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(bad.problems[0]).toMatchObject({ transient: true })
    expect(bad.problems[0]?.message).toMatch(/rate-limited the tags request \(HTTP 429, retry after 3600 s\)/)
    expect(events.filter((event) => event.status === 429)).toHaveLength(1)
    expectGoodUntouched(good)
  })

  it('bounds retries: maxRetries + 1 attempts, then a transient problem', async () => {
    front.add({ path: 'team/bad', kind: 'tags', fault: { type: 'status', status: 502 } })
    const { bad, events } = await scan({ maxRetries: 3 })
    expect(events.filter((event) => event.status === 502)).toHaveLength(4)
    expect(bad.problems[0]).toMatchObject({ transient: true })
  })
})

describe('metadata faults', () => {
  it('garbage in a config blob fails that tag only, keeping the tag list', async () => {
    front.add({ path: 'team/bad', kind: 'blob', fault: { type: 'garbage' }, times: 1 })
    const { bad, good } = await scan({ maxConcurrency: 1 })
    expect(bad.tags.sort()).toEqual(['1.0.0', '1.1.0'])
    expect(bad.metadata.size).toBe(1)
    expect(bad.problems).toHaveLength(1)
    expect(bad.problems[0]?.message).toMatch(
      /build metadata missing for 1 tag\(s\).*does not match digest|not valid JSON/,
    )
    expectGoodUntouched(good)
  })

  it('stops manifest requests when Docker Hub-style ratelimit-remaining reaches 0', async () => {
    const fault: Fault = { type: 'header', name: 'ratelimit-remaining', value: '0;w=21600' }
    front.add({ path: 'team/bad', kind: 'tags', fault })
    const { bad, good, events } = await scan({ maxConcurrency: 1 })
    expect(bad.tags).toHaveLength(2)
    expect(good.tags).toHaveLength(2)
    expect(events.filter((event) => event.kind === 'manifest')).toHaveLength(0)
    expect(bad.problems[0]?.message).toMatch(/reported ratelimit-remaining 0: manifest requests stopped/)
    expect(bad.problems[0]?.transient).toBe(true)
    expect(events).toContainEqual(expect.objectContaining({ kind: 'tags', rateLimitRemaining: 0 }))
  })
})

describe('fault front', () => {
  it('classifies paths as the counters do', () => {
    expect(pathKind('/v2/')).toBe('ping')
    expect(pathKind('/v2/a/b/tags/list?n=1')).toBe('tags')
    expect(pathKind('/v2/a/manifests/1.0')).toBe('manifest')
    expect(pathKind('/v2/a/blobs/sha256:00')).toBe('blob')
  })
})
