// Credential sources, each checked against the real registry (htpasswd for user/password, the
// token service for identity tokens), plus their order and their failures.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRegistryClient } from '../src/registry/client.js'
import { createCredentialResolver, environmentPrefix } from '../src/registry/credentials.js'
import { observe } from '../src/registry/observe.js'
import type { RegistrySettings } from '../src/registry/settings.js'
import { pushImage } from './support/push-image.js'
import { startRegistry, type TestRegistry } from './support/registry.js'

let basic: TestRegistry
let token: TestRegistry
let dir: string
const IDENTITY = 'identity-Refresh-7'

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imagebot-creds-'))
  basic = await startRegistry({ auth: 'htpasswd' })
  token = await startRegistry({
    auth: 'token',
    anonymousPull: false,
    refreshTokens: { [IDENTITY]: 'imagebot' },
  })
  for (const registry of [basic, token]) {
    await pushImage(registry.url, 'team/app', '1.0.0', {
      created: '2024-01-01T00:00:00Z',
      auth: registry.credentials,
    })
  }
})
afterAll(async () => {
  await basic.stop()
  await token.stop()
  await rm(dir, { recursive: true, force: true })
})

async function problemsWith(
  registry: TestRegistry,
  options: { env?: NodeJS.ProcessEnv; dockerConfigPath?: string; settings?: Partial<RegistrySettings> },
) {
  const client = createRegistryClient({
    registries: [{ host: registry.host, endpoint: registry.url, ...options.settings }],
    env: options.env ?? {},
    ...(options.dockerConfigPath ? { dockerConfigPath: options.dockerConfigPath } : {}),
  })
  const result = await observe(client, [{ image: { registry: registry.host, repository: 'team/app' } }])
  const observation = result.get(`${registry.host}/team/app`)!
  return { problems: observation.problems.map((problem) => problem.message), tags: observation.tags }
}

async function writeJson(name: string, json: object): Promise<string> {
  const path = join(dir, name)
  await mkdir(join(path, '..'), { recursive: true })
  await writeFile(path, JSON.stringify(json))
  return path
}

const b64 = (text: string) => Buffer.from(text).toString('base64')

describe('credential sources', () => {
  it('Docker config.json auths entry with base64 auth ($DOCKER_CONFIG)', async () => {
    const { username, password } = basic.credentials
    await writeJson('dc1/config.json', { auths: { [basic.host]: { auth: b64(`${username}:${password}`) } } })
    expect(await problemsWith(basic, { env: { DOCKER_CONFIG: join(dir, 'dc1') } })).toEqual({
      problems: [],
      tags: ['1.0.0'],
    })
  })

  it('~/.docker/config.json with username and password fields, keyed by URL', async () => {
    await writeJson('home/.docker/config.json', {
      auths: { [`http://${basic.host}/v2/`]: basic.credentials },
    })
    expect((await problemsWith(basic, { env: { HOME: join(dir, 'home') } })).problems).toEqual([])
  })

  it('identitytoken in config.json goes through the OAuth2 refresh_token grant', async () => {
    await writeJson('dc2/config.json', { auths: { [token.host]: { identitytoken: IDENTITY } } })
    expect(await problemsWith(token, { env: { DOCKER_CONFIG: join(dir, 'dc2') } })).toEqual({
      problems: [],
      tags: ['1.0.0'],
    })
  })

  it('credHelpers[host] and credsStore run docker-credential-<name> get with the host on stdin', async () => {
    const bin = await writeHelper('testhelper', basic)
    const env = { PATH: `${bin}:${process.env.PATH}`, DOCKER_CONFIG: join(dir, 'dc3') }
    await writeJson('dc3/config.json', { credHelpers: { [basic.host]: 'testhelper' } })
    expect((await problemsWith(basic, { env })).problems).toEqual([])
    await writeJson('dc3/config.json', { auths: { [basic.host]: {} }, credsStore: 'testhelper' })
    expect((await problemsWith(basic, { env })).problems).toEqual([])
    expect(await readFile(join(bin, 'asked.log'), 'utf8')).toBe(`${basic.host}\n${basic.host}\n`)
  })

  it('a Kubernetes dockerconfigjson file via dockerConfigPath', async () => {
    const path = await writeJson('k8s/.dockerconfigjson', {
      auths: { [basic.host]: { ...basic.credentials } },
    })
    expect((await problemsWith(basic, { dockerConfigPath: path })).problems).toEqual([])
  })

  it('a legacy .dockercfg via dockerConfigPath', async () => {
    const { username, password } = basic.credentials
    const path = await writeJson('legacy/.dockercfg', {
      [`https://${basic.host}`]: { auth: b64(`${username}:${password}`) },
    })
    expect((await problemsWith(basic, { dockerConfigPath: path })).problems).toEqual([])
  })

  it('environment variables IMAGEBOT_REGISTRY_<HOST>_USERNAME/_PASSWORD', async () => {
    const prefix = environmentPrefix(basic.host)
    expect(prefix).toMatch(/^IMAGEBOT_REGISTRY_127_0_0_1_\d+$/)
    const env = {
      [`${prefix}_USERNAME`]: basic.credentials.username,
      [`${prefix}_PASSWORD`]: basic.credentials.password,
    }
    expect((await problemsWith(basic, { env })).problems).toEqual([])
  })
})

describe('credential order and failures', () => {
  it('settings beat the Docker config, which beats dockerConfigPath, which beats the environment', async () => {
    const host = 'reg.example:5000'
    const user = (name: string) => ({ username: name, password: `${name}-pw` })
    await writeJson('order/config.json', { auths: { [host]: user('docker-config') } })
    const k8s = await writeJson('order/k8s.json', {
      auths: { [host]: user('k8s'), 'other.example': user('k8s') },
    })
    const env = {
      DOCKER_CONFIG: join(dir, 'order'),
      [`${environmentPrefix(host)}_USERNAME`]: 'env',
      [`${environmentPrefix(host)}_PASSWORD`]: 'env-pw',
      IMAGEBOT_REGISTRY_THIRD_EXAMPLE_USERNAME: 'env',
      IMAGEBOT_REGISTRY_THIRD_EXAMPLE_PASSWORD: 'env-pw',
    }
    const resolve = (registries: RegistrySettings[]) =>
      createCredentialResolver({ registries, env, dockerConfigPath: k8s })
    expect(await resolve([{ host, auth: user('settings') }])(host)).toEqual(user('settings'))
    expect(await resolve([])(host)).toEqual(user('docker-config'))
    expect(await resolve([])('other.example')).toEqual(user('k8s'))
    expect(await resolve([])('third.example')).toEqual({ username: 'env', password: 'env-pw' })
    expect(await resolve([])('nothing.example')).toBeUndefined()
  })

  it('finds Docker Hub credentials under https://index.docker.io/v1/', async () => {
    await writeJson('hub/config.json', {
      auths: { 'https://index.docker.io/v1/': { auth: b64('hubuser:hubpass') } },
    })
    const resolve = createCredentialResolver({ registries: [], env: { DOCKER_CONFIG: join(dir, 'hub') } })
    expect(await resolve('docker.io')).toEqual({ username: 'hubuser', password: 'hubpass' })
    expect(await resolve('index.docker.io')).toEqual({ username: 'hubuser', password: 'hubpass' })
  })

  it('a malformed config.json is a problem naming the file, not a crash', async () => {
    await mkdir(join(dir, 'broken'), { recursive: true })
    await writeFile(join(dir, 'broken', 'config.json'), '{"auths": ')
    const { problems } = await problemsWith(basic, { env: { DOCKER_CONFIG: join(dir, 'broken') } })
    expect(problems[0]).toMatch(/Docker config .*broken\/config\.json is not valid JSON; fix or remove it/)
  })

  it('a missing credential helper is a problem naming it', async () => {
    await writeJson('nohelper/config.json', { credHelpers: { [basic.host]: 'absent' } })
    const env = { PATH: '/usr/bin:/bin', DOCKER_CONFIG: join(dir, 'nohelper') }
    const { problems } = await problemsWith(basic, { env })
    expect(problems[0]).toMatch(/credential helper docker-credential-absent is not on PATH/)
  })

  it('wrong credentials from a file never appear in the problem', async () => {
    const secret = 'Leaky-Password-42'
    await writeJson('wrong/config.json', { auths: { [basic.host]: { auth: b64(`imagebot:${secret}`) } } })
    const { problems } = await problemsWith(basic, { env: { DOCKER_CONFIG: join(dir, 'wrong') } })
    expect(problems[0]).toMatch(/HTTP 401/)
    expect(problems.join('\n')).not.toContain(secret)
    expect(problems.join('\n')).not.toContain(b64(`imagebot:${secret}`))
  })
})

/** A credential helper script that knows `registry`'s credentials and logs what it was asked. */
async function writeHelper(name: string, registry: TestRegistry): Promise<string> {
  const bin = join(dir, 'bin')
  await mkdir(bin, { recursive: true })
  const answer = JSON.stringify({
    ServerURL: registry.host,
    Username: registry.credentials.username,
    Secret: registry.credentials.password,
  })
  const script = [
    '#!/bin/sh',
    '[ "$1" = get ] || exit 2',
    'read -r host',
    `echo "$host" >> '${join(bin, 'asked.log')}'`,
    `if [ "$host" = '${registry.host}' ]; then echo '${answer}'; exit 0; fi`,
    'echo "credentials not found in native keychain"',
    'exit 1',
  ].join('\n')
  await writeFile(join(bin, `docker-credential-${name}`), script)
  await chmod(join(bin, `docker-credential-${name}`), 0o755)
  return bin
}
