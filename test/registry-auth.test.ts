// The registry client against the real registry in all three auth modes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRegistryClient, type RegistryClientOptions } from '../src/registry/client.js'
import { observe } from '../src/registry/observe.js'
import type { RegistrySettings } from '../src/registry/settings.js'
import type { RequestEvent } from '../src/registry/transport.js'
import { pushImage } from './support/push-image.js'
import { startRegistry, type TestRegistry } from './support/registry.js'

const CREATED = '2024-05-01T10:00:00Z'

function observeApp(
  registry: TestRegistry,
  settings: Partial<RegistrySettings>,
  extra: Partial<RegistryClientOptions> = {},
) {
  const events: RequestEvent[] = []
  const client = createRegistryClient({
    registries: [{ host: registry.host, endpoint: registry.url, ...settings }],
    onRequest: (event) => events.push(event),
    ...extra,
  })
  const scan = async () => {
    const request = { image: { registry: registry.host, repository: 'team/app' }, wantsMetadata: () => true }
    const result = await observe(client, [request])
    return result.get(`${registry.host}/team/app`)!
  }
  return { client, events, scan }
}

function secretsIn(text: string, password: string): boolean {
  const basic = Buffer.from(`imagebot:${password}`).toString('base64')
  return text.includes(password) || text.includes(basic)
}

describe('auth none', () => {
  let registry: TestRegistry
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'none' })
    await pushImage(registry.url, 'team/app', '1.0.0', { created: CREATED })
  })
  afterAll(() => registry.stop())

  it('lists tags and reads metadata without credentials, after one ping', async () => {
    const { events, scan } = observeApp(registry, {})
    const observation = await scan()
    expect(observation.problems).toEqual([])
    expect(observation.tags).toEqual(['1.0.0'])
    expect(observation.metadata.get('1.0.0')?.created).toBe(CREATED)
    expect(events.map((event) => event.kind)).toEqual(['ping', 'tags', 'manifest', 'blob'])
  })
})

describe('auth htpasswd (Basic)', () => {
  let registry: TestRegistry
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'htpasswd' })
    await pushImage(registry.url, 'team/app', '1.0.0', { created: CREATED, auth: registry.credentials })
  })
  afterAll(() => registry.stop())

  it('authenticates with configured credentials', async () => {
    const { scan } = observeApp(registry, { auth: registry.credentials })
    const observation = await scan()
    expect(observation.problems).toEqual([])
    expect(observation.tags).toEqual(['1.0.0'])
    expect(observation.metadata.get('1.0.0')?.created).toBe(CREATED)
  })

  it('reports missing credentials as a permanent problem that says what to do', async () => {
    const observation = await observeApp(registry, {}).scan()
    expect(observation.tags).toEqual([])
    expect(observation.problems).toHaveLength(1)
    expect(observation.problems[0]).toMatchObject({
      code: 'REGISTRY',
      image: `${registry.host}/team/app`,
      transient: false,
    })
    expect(observation.problems[0]?.message).toMatch(
      /refused access to team\/app \(HTTP 401.*configure credentials/,
    )
  })

  it('reports wrong credentials without revealing them', async () => {
    const wrong = { username: 'imagebot', password: 'wrong-Secret-123' }
    const observation = await observeApp(registry, { auth: wrong }).scan()
    expect(observation.problems[0]?.message).toMatch(/HTTP 401.*check the credentials/)
    expect(secretsIn(JSON.stringify(observation.problems), wrong.password)).toBe(false)
  })
})

describe('auth token (Bearer)', () => {
  let registry: TestRegistry
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token', refreshTokens: { 'identity-Token-xyz': 'imagebot' } })
    await pushImage(registry.url, 'team/app', '1.0.0', { created: CREATED, auth: registry.credentials })
  })
  afterAll(() => registry.stop())

  it('fetches one token per repository scope and reuses it across scans', async () => {
    const { events, scan } = observeApp(registry, { auth: registry.credentials })
    const before = registry.tokenServer!.requests
    const first = await scan()
    const second = await scan()
    expect(first.problems).toEqual([])
    expect(second.tags).toEqual(['1.0.0'])
    expect(events.filter((event) => event.kind === 'token')).toHaveLength(1)
    expect(registry.tokenServer!.requests - before).toBe(1)
  })

  it('pulls anonymously when the token service allows it', async () => {
    const observation = await observeApp(registry, {}).scan()
    expect(observation.problems).toEqual([])
    expect(observation.metadata.get('1.0.0')?.created).toBe(CREATED)
  })

  it('exchanges an identity token through the OAuth2 refresh_token grant', async () => {
    const observation = await observeApp(registry, { auth: { identityToken: 'identity-Token-xyz' } }).scan()
    expect(observation.problems).toEqual([])
    expect(observation.tags).toEqual(['1.0.0'])
  })

  it('reports rejected credentials without revealing them', async () => {
    const wrong = { username: 'imagebot', password: 'not-The-Password-9' }
    const observation = await observeApp(registry, { auth: wrong }).scan()
    expect(observation.problems[0]?.message).toMatch(
      /token service 127\.0\.0\.1:\d+ .*rejected the credentials/,
    )
    expect(observation.problems[0]?.transient).toBe(false)
    expect(secretsIn(JSON.stringify(observation.problems), wrong.password)).toBe(false)
  })

  it('re-authenticates once when the registry refuses a token', async () => {
    const { events, scan } = observeApp(registry, { auth: registry.credentials })
    registry.tokenServer!.expireNextTokens(1)
    const observation = await scan()
    expect(observation.problems).toEqual([])
    expect(observation.tags).toEqual(['1.0.0'])
    const sequence = events.map((event) => `${event.kind}:${event.status}`)
    expect(sequence.slice(0, 5)).toEqual(['ping:401', 'token:200', 'tags:401', 'token:200', 'tags:200'])
  })
})

describe('token mode without anonymous pull', () => {
  let registry: TestRegistry
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token', anonymousPull: false })
    await pushImage(registry.url, 'team/app', '1.0.0', { created: CREATED, auth: registry.credentials })
  })
  afterAll(() => registry.stop())

  it('retries once with a fresh token on 401, then reports a permanent problem', async () => {
    const { events, scan } = observeApp(registry, {})
    const observation = await scan()
    expect(observation.tags).toEqual([])
    expect(observation.problems[0]?.message).toMatch(/refused access to team\/app .*configure credentials/)
    const tagAttempts = events.filter((event) => event.kind === 'tags')
    expect(tagAttempts.map((event) => event.status)).toEqual([401, 401])
  })
})
