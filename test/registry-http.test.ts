// The registry client's HTTP layer (src/registry/http.ts, on got):
// registries and CDNs before them may compress answers — every encoding the client offers is decoded —
// and a body that stalls halfway is a timeout, not a reset. A front before the real registry does both.
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createRegistryClient } from '../src/registry/client.js'
import { sendOnce } from '../src/registry/http.js'
import { observe } from '../src/registry/observe.js'
import { type Front, fetchUpstream, startFront } from './support/fronts.js'
import { pushImage } from './support/push-image.js'
import { startRegistry, type TestRegistry } from './support/registry.js'

const COMPRESS: Record<string, (body: Buffer) => Buffer> = {
  gzip: gzipSync,
  deflate: deflateSync,
  br: brotliCompressSync,
}

let registry: TestRegistry
let front: Front
/** What the front does to each answer with a body: compress it with this encoding, or stall halfway. */
const mode: { encoding?: string; stall?: boolean; split?: boolean; offered: (string | undefined)[] } = {
  offered: [],
}

beforeAll(async () => {
  registry = await startRegistry()
  await pushImage(registry.url, 'team/app', '1.0.0', { created: '2024-01-01T00:00:00Z' })
  await pushImage(registry.url, 'team/app', '1.1.0', { created: '2024-02-01T00:00:00Z' })
  const target = new URL(registry.url)
  front = await startFront(registry.url, async (req, res) => {
    mode.offered.push(req.headers['accept-encoding'])
    const upstream = await fetchUpstream(target, req)
    const headers = { ...upstream.headers }
    delete headers['content-length']
    if (mode.stall && upstream.body.length > 0) {
      // Half the body, then nothing: the connection stays open until the client gives up.
      res.writeHead(upstream.status, { ...headers, 'content-length': String(upstream.body.length) })
      res.write(upstream.body.subarray(0, upstream.body.length >> 1))
      return true
    }
    if (mode.split && upstream.body.length > 0) {
      // The body in three writes some milliseconds apart, so it reaches the client as several chunks.
      res.writeHead(upstream.status, headers)
      const third = Math.ceil(upstream.body.length / 3)
      for (let at = 0; at < upstream.body.length; at += third) {
        res.write(upstream.body.subarray(at, at + third))
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      res.end()
      return true
    }
    const compress = mode.encoding ? COMPRESS[mode.encoding] : undefined
    if (!compress || req.method === 'HEAD' || upstream.body.length === 0) {
      res.writeHead(upstream.status, upstream.headers)
      res.end(upstream.body)
      return true
    }
    res.writeHead(upstream.status, { ...headers, 'content-encoding': mode.encoding })
    res.end(compress(upstream.body))
    return true
  })
})
afterEach(() => {
  mode.encoding = undefined
  mode.stall = false
  mode.split = false
  mode.offered = []
})
afterAll(async () => {
  await front.stop()
  await registry.stop()
})

async function scan(timeoutMs = 5_000) {
  const client = createRegistryClient({
    registries: [{ host: front.host, endpoint: front.url, timeoutMs, maxRetries: 0, retryBaseMs: 5 }],
  })
  const result = await observe(client, [
    { image: { registry: front.host, repository: 'team/app' }, wantsMetadata: () => true },
  ])
  return result.get(`${front.host}/team/app`)!
}

describe('registry HTTP', () => {
  it.each(Object.keys(COMPRESS))('decodes %s-encoded tag lists, manifests and configs', async (encoding) => {
    mode.encoding = encoding
    const app = await scan()
    expect(app.problems).toEqual([])
    expect(app.tags.sort()).toEqual(['1.0.0', '1.1.0'])
    expect(app.metadata.get('1.1.0')?.created).toBe('2024-02-01T00:00:00Z')
    expect(mode.offered).toContain('gzip, deflate, br')
  })

  it('reports a body that stalls halfway as a timeout of the request', async () => {
    mode.stall = true
    const started = Date.now()
    const app = await scan(300)
    expect(Date.now() - started).toBeLessThan(3_000)
    expect(app.tags).toEqual([])
    expect(app.problems).toHaveLength(1)
    expect(app.problems[0]?.message).toMatch(/timed out after 300 ms/)
  })

  it('sends a POST without a body and returns the answer, not a timeout', async () => {
    // got's stream interface waits for a body to be written to a POST; sendOnce has none to give.
    const started = Date.now()
    const response = await sendOnce({
      url: `${front.url}/v2/`,
      method: 'POST',
      headers: {},
      timeoutMs: 2_000,
    })
    expect(Date.now() - started).toBeLessThan(1_500)
    expect(response.status).toBeGreaterThanOrEqual(200)
    expect(response.url).toBe(`${front.url}/v2/`)
  })

  it('returns the whole body of an answer that arrives in several chunks', async () => {
    mode.split = true
    const many = await sendOnce({
      url: `${front.url}/v2/team/app/tags/list`,
      method: 'GET',
      headers: {},
      timeoutMs: 2_000,
    })
    expect(JSON.parse(many.body.toString('utf8')).tags.sort()).toEqual(['1.0.0', '1.1.0'])
  })
})
