// The daemon's HTTP server on a real port: webhooks (bad ones rejected with nothing queued, good ones
// queue a scan of a known image), /healthz, /readyz, /metrics, /status.
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseListen } from '../src/server/http.js'
import { signSha256 } from '../src/server/webhooks/index.js'
import { type Daemon, startDaemon } from '../workers/daemon.js'
import { createLogger } from '../workers/logger.js'
import { count, memoryLog, recordingHandlers, sleep, waitFor } from './support/daemon-helpers.js'

const GENERIC_SECRET = 'generic-s3cret'
const HUB_SECRET = 'hub-s3cret'
const APP = 'docker.io/acme/app'
const log = memoryLog()
let daemon: Daemon
let base: string

beforeAll(async () => {
  daemon = await startDaemon({
    handlers: recordingHandlers({
      log,
      images: [{ image: APP, configRepos: ['http://127.0.0.1:1/a.git'], intervalMs: 3_600_000 }],
    }),
    backend: 'embedded',
    listen: '127.0.0.1:0',
    coalesceMs: 0,
    webhooks: [
      { type: 'generic', secret: GENERIC_SECRET },
      { type: 'dockerhub', secret: HUB_SECRET },
    ],
    logger: createLogger({ level: 'silent' }),
    // Counted scans stay exact: the confirming scan has a test of its own.
    tuning: { confirmScanMs: 0 },
  })
  base = daemon.url!
  // The first (scheduled) scan runs at once; webhook scans are counted after it.
  await waitFor(() => count(log.all(), 'scan', 'end', APP) === 1, 'the first scan')
})
afterAll(async () => {
  await daemon?.close()
})

function post(path: string, body: string | Buffer, headers: Record<string, string> = {}) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  })
}

/** fetch always sends a content type; node:http sends none unless told. */
function postWithoutContentType(path: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-length': Buffer.byteLength(body) },
    })
    req.on('response', (response) => {
      response.resume()
      resolve(response.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end(body)
  })
}

async function scansAfter(action: () => Promise<unknown>): Promise<number> {
  const before = count(log.all(), 'scan', 'start')
  await action()
  await sleep(150)
  return count(log.all(), 'scan', 'start') - before
}

describe('webhooks', () => {
  it('rejects forged, unsigned, oversized and malformed requests and queues nothing', async () => {
    const body = JSON.stringify({ repository: 'acme/app' })
    const statuses: number[] = []
    const queued = await scansAfter(async () => {
      statuses.push((await post('/hooks/generic', body, { 'x-signature': signSha256(body, 'wrong') })).status)
      statuses.push((await post('/hooks/generic', body)).status)
      const big = Buffer.alloc(2 * 1024 * 1024, 'a')
      statuses.push(
        (await post('/hooks/generic', big, { 'x-signature': signSha256(big, GENERIC_SECRET) })).status,
      )
      const bad = '{"repository": '
      statuses.push(
        (await post('/hooks/generic', bad, { 'x-signature': signSha256(bad, GENERIC_SECRET) })).status,
      )
      statuses.push((await post('/hooks/dockerhub/not-the-secret', '{}')).status)
      statuses.push((await post('/hooks/quay/whatever', body)).status)
      statuses.push((await post('/hooks/nonsense', body)).status)
    })
    expect(statuses).toEqual([401, 401, 413, 400, 401, 404, 404])
    expect(queued).toBe(0)
  })

  it('queues a scan of a known image named by a valid webhook', async () => {
    const body = JSON.stringify({ repository: 'acme/app' })
    let answer: unknown
    const queued = await scansAfter(async () => {
      const response = await post('/hooks/generic', body, { 'x-signature': signSha256(body, GENERIC_SECRET) })
      expect(response.status).toBe(202)
      answer = await response.json()
    })
    expect(answer).toEqual({ queued: [APP], ignored: [] })
    expect(queued).toBe(1)
  })

  it('accepts Docker Hub with the secret in the path, without a content type too', async () => {
    const body = JSON.stringify({ repository: { repo_name: 'acme/app' } })
    const queued = await scansAfter(async () => {
      expect(await postWithoutContentType(`/hooks/dockerhub/${HUB_SECRET}`, body)).toBe(202)
    })
    expect(queued).toBe(1)
  })

  it('answers 202 and ignores an image no target uses', async () => {
    const body = JSON.stringify({ repositories: ['ghcr.io/other/thing'] })
    let answer: unknown
    const queued = await scansAfter(async () => {
      const response = await post('/hooks/generic', body, { 'x-signature': signSha256(body, GENERIC_SECRET) })
      expect(response.status).toBe(202)
      answer = await response.json()
    })
    expect(answer).toEqual({ queued: [], ignored: ['ghcr.io/other/thing'] })
    expect(queued).toBe(0)
  })
})

describe('health, metrics, status', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200)
    const ready = await fetch(`${base}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ ready: true })
  })

  it('serves Prometheus text with the webhook and scan counters', async () => {
    const response = await fetch(`${base}/metrics`)
    expect(response.headers.get('content-type')).toContain('text/plain')
    const text = await response.text()
    expect(text).toMatch(/imagebot_webhooks_total\{type="generic",result="unauthorized"\} 2/)
    expect(text).toMatch(/imagebot_scan_duration_seconds_count\{repository="docker.io\/acme\/app"\} [1-9]/)
  })

  it('shows each image and config repository in /status', async () => {
    await waitFor(() => count(log.all(), 'update', 'end') >= 1, 'the first update')
    const status = (await (await fetch(`${base}/status`)).json()) as Record<string, unknown>
    expect(status).toMatchObject({
      images: [{ image: APP, tagsSeen: 3, configRepos: ['http://127.0.0.1:1/a.git'] }],
      configRepos: [{ configRepo: 'http://127.0.0.1:1/a.git', updates: 0, errors: [] }],
    })
    expect(typeof status.discoveredAt).toBe('string')
  })
})

describe('parseListen', () => {
  it('reads host:port forms and rejects others with the key named', () => {
    expect(parseListen('127.0.0.1:8080')).toEqual({ host: '127.0.0.1', port: 8080 })
    expect(parseListen(':9000')).toEqual({ host: '0.0.0.0', port: 9000 })
    expect(parseListen('[::1]:80')).toEqual({ host: '::1', port: 80 })
    expect(() => parseListen('localhost')).toThrow(/server.listen "localhost"/)
  })
})
