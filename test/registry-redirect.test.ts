// Blob downloads may be redirected to object storage on another host: followed, without the
// registry's Authorization header, and the storage URL's signature never shows up in a problem.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRegistryClient } from '../src/registry/client.js'
import { observe } from '../src/registry/observe.js'
import { type FaultFront, startFaultFront } from './support/faults.js'
import { buildImage, pushImage } from './support/push-image.js'
import { startRegistry, type TestRegistry } from './support/registry.js'

const CREATED = '2024-07-07T07:07:07Z'
const SIGNATURE = 'X-Amz-Signature=very-secret-signature'
let registry: TestRegistry
let front: FaultFront
let storage: Server
let storagePort: number
const storageState = { status: 200, authorizations: [] as (string | undefined)[] }

beforeAll(async () => {
  registry = await startRegistry({ auth: 'htpasswd' })
  await pushImage(registry.url, 'team/app', '1.0', { created: CREATED, auth: registry.credentials })
  // pushImage builds the config the same way, so these are the bytes the registry stores.
  const config = buildImage({ created: CREATED }).config
  storage = createServer((req, res) => {
    storageState.authorizations.push(req.headers.authorization)
    res.writeHead(storageState.status)
    res.end(storageState.status === 200 ? config : 'storage error')
  })
  await new Promise<void>((resolve) => storage.listen(0, '127.0.0.1', resolve))
  storagePort = (storage.address() as AddressInfo).port
  front = await startFaultFront(registry.url)
  // "localhost" is another host than the registry's 127.0.0.1, as S3 would be.
  const location = `http://localhost:${storagePort}/bucket/blob?${SIGNATURE}`
  front.add({ kind: 'blob', fault: { type: 'redirect', location } })
})
afterAll(async () => {
  await front.stop()
  await new Promise((resolve) => storage.close(resolve))
  await registry.stop()
})

async function scan() {
  const client = createRegistryClient({
    registries: [
      { host: front.host, endpoint: front.url, auth: registry.credentials, maxRetries: 1, retryBaseMs: 5 },
    ],
  })
  const request = { image: { registry: front.host, repository: 'team/app' }, wantsMetadata: () => true }
  return (await observe(client, [request])).get(`${front.host}/team/app`)!
}

describe('blob redirects', () => {
  it('follows a blob redirect to another host without sending the registry credentials', async () => {
    storageState.authorizations.length = 0
    const observation = await scan()
    expect(observation.problems).toEqual([])
    expect(observation.metadata.get('1.0')?.created).toBe(CREATED)
    expect(storageState.authorizations).toEqual([undefined])
  })

  it('keeps the storage signature out of problems when storage fails', async () => {
    storageState.status = 500
    try {
      const observation = await scan()
      expect(observation.problems).toHaveLength(1)
      expect(observation.problems[0]?.message).toMatch(
        /config blob .* answered HTTP 500|blob request .* HTTP 500/,
      )
      expect(JSON.stringify(observation.problems)).not.toContain('very-secret-signature')
    } finally {
      storageState.status = 200
    }
  })
})
