// The compose registry (deploy/compose/registry.yml + the REGISTRY_NOTIFICATIONS_ENDPOINTS of
// docker-compose.yml, interpolated as compose does) sends imagebot its push notifications with the Bearer
// token. Run against the real CNCF distribution registry; only its address, storage and the webhook host
// (imagebot:8080 → this test's listener) are overridden.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { pushImage } from './support/push-image.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

interface Received {
  headers: IncomingHttpHeaders
  path: string
  body: string
}

describe('compose registry notifications', () => {
  const stops: (() => Promise<void>)[] = []
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop()
  })

  it('reach /hooks/distribution with the Bearer token from .env, pushes only', async () => {
    const received: Received[] = []
    const hook = createServer((request, response) => {
      let body = ''
      request.on('data', (chunk) => (body += chunk))
      request.on('end', () => {
        received.push({ headers: request.headers, path: request.url ?? '', body })
        response.end()
      })
    })
    await new Promise<void>((done) => hook.listen(0, '127.0.0.1', done))
    stops.push(() => new Promise((done) => hook.close(() => done())))
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`

    const compose = parse(await readFile(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
      services: { registry: { environment: Record<string, string> } }
    }
    const endpoints = compose.services.registry.environment.REGISTRY_NOTIFICATIONS_ENDPOINTS!
    expect(endpoints).toContain('http://imagebot:8080/hooks/distribution')
    // What compose does with .env, then the compose service name swapped for this test's listener.
    const token = 'compose-webhook-token-0123456789'
    const interpolated = endpoints
      .replace(/\$\{WEBHOOK_TOKEN[^}]*\}/, token)
      .replace('http://imagebot:8080', hookUrl)
    const registry = await startComposeRegistry(interpolated)
    stops.push(registry.stop)

    await pushImage(registry.url, 'app', 'v1', { created: '2024-02-01T00:00:00Z' })
    await fetch(`${registry.url}/v2/app/manifests/v1`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    })
    await expect.poll(() => received.length, { timeout: 5000 }).toBeGreaterThan(0)
    await new Promise((done) => setTimeout(done, 300)) // a pull event, if any, would follow the push
    const events = received.flatMap((request) => (JSON.parse(request.body) as { events: object[] }).events)
    expect(received.map((request) => request.path)).toEqual(received.map(() => '/hooks/distribution'))
    expect(received.map((request) => request.headers.authorization)).toEqual(
      received.map(() => `Bearer ${token}`),
    )
    expect(events).toEqual([
      expect.objectContaining({ action: 'push', target: expect.objectContaining({ repository: 'app' }) }),
    ])
  })
})

/** docker-registry with deploy/compose/registry.yml; only address and storage overridden (through env). */
async function startComposeRegistry(endpoints: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'imagebot-packaging-'))
  const child = spawn('docker-registry', ['serve', join(ROOT, 'deploy/compose/registry.yml')], {
    env: {
      ...process.env,
      REGISTRY_HTTP_ADDR: '127.0.0.1:0',
      REGISTRY_HTTP_SECRET: 'packaging-test',
      REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY: dir,
      REGISTRY_NOTIFICATIONS_ENDPOINTS: endpoints,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stop = async () => {
    await stopChild(child)
    await rm(dir, { recursive: true, force: true })
  }
  try {
    return { url: `http://127.0.0.1:${await listeningPort(child)}`, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolvePort, reject) => {
    let log = ''
    const timer = setTimeout(() => reject(new Error(`docker-registry did not start:\n${log}`)), 10_000)
    const onData = (chunk: Buffer) => {
      log = (log + chunk.toString('utf8')).slice(-20_000)
      const match = /listening on 127\.0\.0\.1:(\d+)/.exec(log)
      if (match) {
        clearTimeout(timer)
        resolvePort(Number(match[1]))
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.on('error', (error) =>
      reject(new Error(`cannot run docker-registry (apt-get install docker-registry): ${error.message}`)),
    )
    child.on('exit', (code) => reject(new Error(`docker-registry exited with ${code}:\n${log}`)))
  })
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((done) => {
    child.once('exit', () => done())
    child.kill('SIGTERM')
  })
}
