// Build metadata from the real registry: OCI and Docker manifests, multi-arch indexes with
// attestation entries, platform choice, the created label override, digests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRegistryClient } from '../src/registry/client.js'
import { observe, type RepositoryObservation } from '../src/registry/observe.js'
import { type PushedImage, pushImage } from './support/push-image.js'
import { startRegistry, type TestRegistry } from './support/registry.js'

let registry: TestRegistry
const pushed: Record<string, PushedImage> = {}

beforeAll(async () => {
  registry = await startRegistry()
  const push = async (tag: string, options: Parameters<typeof pushImage>[3]) => {
    pushed[tag] = await pushImage(registry.url, 'team/app', tag, options)
  }
  await push('oci', { created: '2024-01-01T00:00:00Z', mediaType: 'oci' })
  await push('docker', { created: '2024-01-02T00:00:00Z', mediaType: 'docker' })
  await push('labelled', {
    created: '1970-01-01T00:00:00Z',
    labels: { 'org.opencontainers.image.created': '2024-01-03T12:00:00Z', team: 'blue' },
  })
  const platforms = [
    { platform: 'linux/arm64', created: '2024-02-02T00:00:00Z' },
    { platform: 'linux/amd64', created: '2024-02-01T00:00:00Z' },
    { platform: 'linux/arm/v7', created: '2024-02-03T00:00:00Z' },
  ]
  await push('multi-oci', { created: '2000-01-01T00:00:00Z', platforms })
  await push('multi-docker', { created: '2000-01-01T00:00:00Z', mediaType: 'docker', platforms })
  await push('arm-only', { created: '2024-03-01T00:00:00Z', platforms: ['linux/arm64'] })
})
afterAll(() => registry.stop())

async function scan(platform?: string): Promise<RepositoryObservation> {
  const client = createRegistryClient({
    registries: [{ host: registry.host, endpoint: registry.url, ...(platform ? { platform } : {}) }],
  })
  const request = { image: { registry: registry.host, repository: 'team/app' }, wantsMetadata: () => true }
  return (await observe(client, [request])).get(`${registry.host}/team/app`)!
}

describe('metadata', () => {
  it('reads created and digest from OCI and Docker v2 manifests', async () => {
    const observation = await scan()
    expect(observation.metadata.get('oci')).toEqual({
      digest: pushed.oci?.digest,
      created: '2024-01-01T00:00:00Z',
    })
    expect(observation.metadata.get('docker')).toEqual({
      digest: pushed.docker?.digest,
      created: '2024-01-02T00:00:00Z',
    })
  })

  it('lets the org.opencontainers.image.created label override created, and returns labels', async () => {
    const labelled = (await scan()).metadata.get('labelled')
    expect(labelled?.created).toBe('2024-01-03T12:00:00Z')
    expect(labelled?.labels).toEqual({
      'org.opencontainers.image.created': '2024-01-03T12:00:00Z',
      team: 'blue',
    })
  })

  it('picks linux/amd64 from an index whose first entry is an attestation, keeping the index digest', async () => {
    const observation = await scan()
    expect(observation.metadata.get('multi-oci')).toEqual({
      digest: pushed['multi-oci']?.digest,
      created: '2024-02-01T00:00:00Z',
    })
    expect(observation.metadata.get('multi-docker')?.created).toBe('2024-02-01T00:00:00Z')
  })

  it('picks the configured platform instead', async () => {
    const arm64 = await scan('linux/arm64')
    expect(arm64.metadata.get('multi-oci')?.created).toBe('2024-02-02T00:00:00Z')
    expect(arm64.metadata.get('multi-docker')?.created).toBe('2024-02-02T00:00:00Z')
    const armV7 = await scan('linux/arm/v7')
    expect(armV7.metadata.get('multi-oci')?.created).toBe('2024-02-03T00:00:00Z')
  })

  it('reports an index without the wanted platform as a problem for that tag only', async () => {
    const observation = await scan()
    expect(observation.metadata.has('arm-only')).toBe(false)
    expect(observation.metadata.size).toBe(5)
    expect(observation.problems).toHaveLength(1)
    expect(observation.problems[0]?.message).toMatch(
      /build metadata missing for 1 tag\(s\) \(arm-only\): .*has no linux\/amd64 image \(offers linux\/arm64\)/,
    )
    expect(observation.problems[0]?.transient).toBe(false)
  })

  it('reports a bad platform setting as a problem naming the registry', async () => {
    const observation = await scan('linux')
    expect(observation.tags).toEqual([])
    expect(observation.problems[0]?.message).toMatch(
      /registry settings for 127\.0\.0\.1:\d+: platform "linux"/,
    )
  })
})
