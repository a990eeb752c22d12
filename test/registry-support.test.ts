// The test servers themselves, checked with independent tools: skopeo agrees with our client about
// tags and digests, the registry's notifications arrive, and describeTags serves `imagebot tags`.
import { execFile } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRegistryClient } from '../src/registry/client.js'
import { describeTags } from '../src/registry/observe.js'
import { type PushedImage, pushImage } from './support/push-image.js'
import { startRegistry, type TestRegistry } from './support/registry.js'

const run = promisify(execFile)
let registry: TestRegistry
let hooks: Server
const events: { authorization: string | undefined; body: string }[] = []
let multi: PushedImage

beforeAll(async () => {
  hooks = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      events.push({ authorization: req.headers.authorization, body })
      res.end()
    })
  })
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/events`
  registry = await startRegistry({ notifications: { url, headers: { Authorization: 'Bearer hook-token' } } })
  await pushImage(registry.url, 'team/app', '1.0.0', { created: '2024-01-01T00:00:00Z' })
  await pushImage(registry.url, 'team/app', '1.1.0', { created: '2024-02-01T00:00:00Z', mediaType: 'docker' })
  multi = await pushImage(registry.url, 'team/app', 'dev-1', {
    created: '2024-03-01T00:00:00Z',
    platforms: ['linux/amd64', 'linux/arm64'],
  })
})
afterAll(async () => {
  await registry.stop()
  await new Promise((resolve) => hooks.close(resolve))
})

describe('test registry', () => {
  it('agrees with skopeo on tags and digests', async () => {
    const ref = `docker://${registry.host}/team/app`
    const { stdout } = await run('skopeo', ['list-tags', '--tls-verify=false', ref])
    const client = createRegistryClient({ registries: [{ host: registry.host, endpoint: registry.url }] })
    const listing = await client.listTags({ registry: registry.host, repository: 'team/app' })
    expect(listing.tags.sort()).toEqual((JSON.parse(stdout) as { Tags: string[] }).Tags.sort())
    const inspected = await run('skopeo', ['inspect', '--raw', '--tls-verify=false', `${ref}:dev-1`])
    const metadata = await client.tagMetadata({ registry: registry.host, repository: 'team/app' }, 'dev-1')
    expect(metadata.digest).toBe(multi.digest)
    expect(JSON.parse(inspected.stdout).manifests).toHaveLength(3)
  })

  it('sends push notifications with the configured headers', async () => {
    const pushOf = (tag: string) =>
      events.find((event) => {
        const parsed = JSON.parse(event.body) as { events: { action: string; target: { tag?: string } }[] }
        return parsed.events.some((entry) => entry.action === 'push' && entry.target.tag === tag)
      })
    const deadline = Date.now() + 5_000
    while (!pushOf('dev-1') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
    expect(pushOf('dev-1')?.authorization).toBe('Bearer hook-token')
  })
})

describe('describeTags', () => {
  it('returns matching tags, with build metadata only when the policy needs build time', async () => {
    const client = createRegistryClient({ registries: [{ host: registry.host, endpoint: registry.url }] })
    const image = { registry: registry.host, repository: 'team/app' }
    const semverish = { matches: (tag: string) => /^\d+\.\d+\.\d+$/.test(tag), needsBuildTime: false }
    const plain = await describeTags(client, image, semverish)
    expect(plain.tags.sort()).toEqual(['1.0.0', '1.1.0'])
    expect(plain.tagsSeen).toBe(3)
    expect(plain.metadata.size).toBe(0)
    const dev = await describeTags(client, image, {
      matches: (tag) => tag.startsWith('dev-'),
      needsBuildTime: true,
    })
    expect(dev.tags).toEqual(['dev-1'])
    expect(dev.metadata.get('dev-1')).toEqual({ digest: multi.digest, created: '2024-03-01T00:00:00Z' })
  })
})
