// An answer larger than any a registry gives (src/registry/http.ts, MAX_BODY_BYTES) is cut off and reported,
// counted after decompression: a front before the real registry streams an endless tag list, or a small gzip
// body that inflates past the cap. The scan reports the image and stays within its memory.
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRegistryClient } from '../src/registry/client.js'
import { MAX_BODY_BYTES } from '../src/registry/http.js'
import { observe } from '../src/registry/observe.js'
import { type Front, pathKind, startFront } from './support/fronts.js'
import { pushImage } from './support/push-image.js'
import { startRegistry, type TestRegistry } from './support/registry.js'

const MiB = 1024 * 1024
/** Four times the cap: a client that read it all would get every byte. */
const ENDLESS_BYTES = 4 * MAX_BODY_BYTES

let registry: TestRegistry
let front: Front
const mode: { answer?: 'endless' | 'bomb'; sent: number; requests: number } = { sent: 0, requests: 0 }

beforeAll(async () => {
  registry = await startRegistry()
  await pushImage(registry.url, 'team/app', '1.0.0', { created: '2024-01-01T00:00:00Z' })
  front = await startFront(registry.url, async (req, res) => {
    if (pathKind(req.url ?? '/') !== 'tags' || mode.answer === undefined) return false
    mode.requests++
    if (mode.answer === 'bomb') {
      const inflated = Buffer.alloc(MAX_BODY_BYTES + MiB, 0x20)
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      res.end(gzipSync(inflated))
      return true
    }
    res.writeHead(200, { 'content-type': 'application/json' })
    const chunk = Buffer.alloc(MiB, 0x20)
    while (mode.sent < ENDLESS_BYTES && !res.destroyed) {
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve).once('close', resolve))
      mode.sent += chunk.length
    }
    res.end()
    return true
  })
})
afterAll(async () => {
  await front.stop()
  await registry.stop()
})

async function scan() {
  const client = createRegistryClient({
    registries: [{ host: front.host, endpoint: front.url, timeoutMs: 10_000, maxRetries: 2, retryBaseMs: 5 }],
  })
  const result = await observe(client, [{ image: { registry: front.host, repository: 'team/app' } }])
  return result.get(`${front.host}/team/app`)!
}

describe('registry answers beyond the size cap', () => {
  it('stops reading an endless tag list at the cap and reports the image once, not as unreachable', async () => {
    mode.answer = 'endless'
    mode.sent = 0
    mode.requests = 0
    const app = await scan()
    expect(app.tags).toEqual([])
    expect(app.problems).toHaveLength(1)
    expect(app.problems[0]?.message).toMatch(/answered more than 16 MiB \(HTTP 200\); not read further/)
    expect(app.problems[0]?.message).not.toMatch(/reachable/)
    // Not retried (a registry that answers this once answers it again), and not read to the end.
    expect(mode.requests).toBe(1)
    expect(mode.sent).toBeLessThan(ENDLESS_BYTES)
  })

  it('counts the inflated bytes: a small gzip body past the cap is refused the same way', async () => {
    mode.answer = 'bomb'
    const app = await scan()
    expect(app.tags).toEqual([])
    expect(app.problems[0]?.message).toMatch(/answered more than 16 MiB \(HTTP 200\)/)
  })

  it('reads the same tag list in full once the front passes it through', async () => {
    mode.answer = undefined
    const app = await scan()
    expect(app.problems).toEqual([])
    expect(app.tags).toEqual(['1.0.0'])
  })
})
