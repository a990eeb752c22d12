// The distribution receiver against the real CNCF registry (Debian docker-registry 2.8): its notification
// endpoint, configured as the README says, posts to a local receiver that calls handleWebhook.
import { type ChildProcess, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { handleWebhook } from './handle.js'
import type { WebhookOutcome } from './types.js'

const SECRET = 'registry-notification-secret'
const received: { body: { events: { action: string }[] }; outcome: WebhookOutcome }[] = []
let receiver: Server
let registry: ChildProcess
let registryBase: string
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imagebot-hooks-'))
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const outcome = handleWebhook({ type: 'distribution', headers: req.headers, body }, SECRET)
      received.push({ body: JSON.parse(body.toString('utf8')), outcome })
      res.writeHead(outcome.ok ? 200 : outcome.status).end()
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const hookPort = (receiver.address() as AddressInfo).port
  await writeFile(join(dir, 'config.yml'), registryConfig(dir, hookPort))
  registry = spawn('docker-registry', ['serve', join(dir, 'config.yml')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  registryBase = `http://${await listeningAddress(registry)}`
})

afterAll(async () => {
  registry?.kill()
  await new Promise((resolve) => receiver?.close(resolve))
  await rm(dir, { recursive: true, force: true })
})

function registryConfig(root: string, hookPort: number): string {
  return `version: 0.1
log: { level: info, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: ${join(root, 'data')} } }
http: { addr: 127.0.0.1:0 }
notifications:
  endpoints:
    - name: imagebot
      url: http://127.0.0.1:${hookPort}/hooks/distribution
      headers: { Authorization: [Bearer ${SECRET}] }
      timeout: 2s
      threshold: 5
      backoff: 100ms
`
}

function listeningAddress(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let log = ''
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString()
      const match = /listening on (127\.0\.0\.1:\d+)/.exec(log)
      if (match) resolve(match[1]!)
    })
    child.on('exit', (code) => reject(new Error(`docker-registry exited (${code}): ${log}`)))
  })
}

async function pushImage(repository: string, tag: string): Promise<void> {
  const config = Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}')
  const digest = `sha256:${createHash('sha256').update(config).digest('hex')}`
  const upload = await fetch(`${registryBase}/v2/${repository}/blobs/uploads/`, { method: 'POST' })
  const location = new URL(upload.headers.get('location')!, registryBase)
  location.searchParams.set('digest', digest)
  expect((await fetch(location, { method: 'PUT', body: config })).status).toBe(201)
  const mediaType = 'application/vnd.oci.image.manifest.v1+json'
  const manifest = {
    schemaVersion: 2,
    mediaType,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest, size: config.length },
    layers: [],
  }
  const put = await fetch(`${registryBase}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: { 'content-type': mediaType },
    body: JSON.stringify(manifest),
  })
  expect(put.status).toBe(201)
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; waited < 5_000; waited += 20) {
    if (condition()) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`timed out waiting for ${what}`)
}

const actions = () => received.flatMap(({ body }) => body.events.map((event) => event.action))

describe('distribution notifications from a real registry', () => {
  it('a manifest push names the repository; blob pushes and pulls name nothing', async () => {
    await pushImage('team/app', '1.0.0')
    const accept = 'application/vnd.oci.image.manifest.v1+json'
    expect((await fetch(`${registryBase}/v2/team/app/manifests/1.0.0`, { headers: { accept } })).status).toBe(
      200,
    )
    await until(() => actions().includes('pull'), 'the pull notification')

    expect(received.every(({ outcome }) => outcome.ok)).toBe(true)
    const named = received.flatMap(({ outcome }) => (outcome.ok ? outcome.repositories : []))
    expect(new Set(named)).toEqual(new Set([`${new URL(registryBase).host}/team/app`]))
    // The registry also sent a blob push; only the manifest push may name the repository.
    const pushes = received.flatMap(({ body }) => body.events).filter((event) => event.action === 'push')
    expect(pushes.length).toBeGreaterThan(1)
    const pullOnly = received.filter(({ body }) => body.events.every((event) => event.action === 'pull'))
    for (const { outcome } of pullOnly) expect(outcome).toEqual({ ok: true, repositories: [] })
  })
})
