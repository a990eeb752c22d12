// The token bucket against the real registry: a scan never sends requests faster than `rateLimit` allows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRegistryClient } from '../src/registry/client.js'
import { observe } from '../src/registry/observe.js'
import { type CountingFront, startCountingFront } from './support/fronts.js'
import { pushImage } from './support/push-image.js'
import { startRegistry, type TestRegistry } from './support/registry.js'

const TAGS = ['1.0.0', '1.0.1', '1.0.2', '1.0.3']
let registry: TestRegistry
let counter: CountingFront

beforeAll(async () => {
  registry = await startRegistry()
  for (const [index, tag] of TAGS.entries()) {
    await pushImage(registry.url, 'team/limited', tag, { created: `2024-0${index + 1}-01T00:00:00Z` })
  }
  counter = await startCountingFront(registry.url)
})
afterAll(async () => {
  await counter.stop()
  await registry.stop()
})

describe('rate limit', () => {
  it('spaces requests to a registry by its token bucket', async () => {
    const rps = 10
    const burst = 2
    const client = createRegistryClient({
      registries: [{ host: counter.host, endpoint: counter.url, rateLimit: { rps, burst } }],
    })
    counter.reset()
    const started = performance.now()
    const observed = await observe(
      client,
      [{ image: { registry: counter.host, repository: 'team/limited' }, wantsMetadata: () => true }],
      { concurrency: 1, metadataConcurrency: 4 },
    )
    const elapsedMs = performance.now() - started
    expect(observed.get(`${counter.host}/team/limited`)?.problems).toEqual([])
    const sent = counter.total()
    // ping + tags + 4 manifests + 4 distinct config blobs; all but the burst wait for a token.
    expect(sent).toBeGreaterThanOrEqual(10)
    expect(elapsedMs).toBeGreaterThanOrEqual(((sent - burst) / rps) * 1000 * 0.9)
  })
})
