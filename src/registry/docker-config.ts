// Credentials from Docker-style files: ~/.docker/config.json (auths, credHelpers, credsStore),
// a Kubernetes dockerconfigjson secret ({"auths":{…}}) or a legacy .dockercfg ({host:{auth}}).
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { RegistryError } from './errors.js'
import type { RegistryAuth } from './settings.js'
import { normalizeHost } from './settings.js'

interface AuthEntry {
  auth?: unknown
  username?: unknown
  password?: unknown
  identitytoken?: unknown
}

export interface DockerConfig {
  file: string
  auths: Map<string, AuthEntry>
  credHelpers: Map<string, string>
  credsStore?: string
}

const HUB_SERVER_URL = 'https://index.docker.io/v1/'

/** Reads a config file; undefined when it does not exist. A malformed file is an error naming it. */
export async function readDockerConfig(file: string): Promise<DockerConfig | undefined> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new RegistryError(`cannot read Docker config ${file}: ${(error as NodeJS.ErrnoException).code}`, {
      transient: false,
    })
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new RegistryError(`Docker config ${file} is not valid JSON; fix or remove it`, { transient: false })
  }
  if (!isObject(parsed))
    throw new RegistryError(`Docker config ${file} must be a JSON object`, { transient: false })
  return toDockerConfig(file, parsed)
}

function toDockerConfig(file: string, json: Record<string, unknown>): DockerConfig {
  const config: DockerConfig = { file, auths: new Map(), credHelpers: new Map() }
  // config.json and dockerconfigjson have `auths`; the legacy .dockercfg is the auths map itself.
  const legacy = !('auths' in json) && !('credHelpers' in json) && !('credsStore' in json)
  const auths = isObject(json.auths) ? json.auths : legacy ? json : {}
  for (const [key, entry] of Object.entries(auths)) {
    if (isObject(entry)) config.auths.set(hostOfKey(key), entry)
  }
  if (isObject(json.credHelpers)) {
    for (const [key, helper] of Object.entries(json.credHelpers)) {
      if (typeof helper === 'string') config.credHelpers.set(hostOfKey(key), helper)
    }
  }
  if (typeof json.credsStore === 'string' && json.credsStore !== '') config.credsStore = json.credsStore
  return config
}

/** `https://index.docker.io/v1/` → docker.io, `myreg:5000` → myreg:5000. */
function hostOfKey(key: string): string {
  const withoutScheme = key.replace(/^[a-z]+:\/\//i, '')
  return normalizeHost(withoutScheme.split('/')[0] ?? withoutScheme)
}

/** Credentials for `host`: credHelpers first, then a filled auths entry, then credsStore. */
export async function lookupDockerConfig(
  config: DockerConfig,
  host: string,
  env: NodeJS.ProcessEnv,
): Promise<RegistryAuth | undefined> {
  const key = normalizeHost(host)
  const helper = config.credHelpers.get(key)
  if (helper) return runCredentialHelper(helper, key, env)
  const entry = config.auths.get(key)
  const fromEntry = entry ? decodeEntry(config.file, key, entry) : undefined
  if (fromEntry) return fromEntry
  if (config.credsStore) return runCredentialHelper(config.credsStore, key, env)
  return undefined
}

function decodeEntry(file: string, host: string, entry: AuthEntry): RegistryAuth | undefined {
  if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') {
    return { identityToken: entry.identitytoken }
  }
  if (typeof entry.username === 'string' && typeof entry.password === 'string' && entry.username !== '') {
    return { username: entry.username, password: entry.password }
  }
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon <= 0) {
      throw new RegistryError(
        `Docker config ${file}: the auth value for ${host} is not base64 of user:password`,
        {
          transient: false,
        },
      )
    }
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
  }
  return undefined
}

/** Runs `docker-credential-<name> get` with the server URL on stdin (Docker's protocol). */
export function runCredentialHelper(
  name: string,
  host: string,
  env: NodeJS.ProcessEnv,
): Promise<RegistryAuth | undefined> {
  const program = `docker-credential-${name}`
  const serverUrl = host === 'docker.io' ? HUB_SERVER_URL : host
  return new Promise((resolve, reject) => {
    const child = execFile(program, ['get'], { env, timeout: 10_000 }, (error, stdout) => {
      if (error) {
        // Helpers exit non-zero with "credentials not found" when they have nothing for the host.
        if (/not found/i.test(String(stdout)) || /not found/i.test(error.message)) resolve(undefined)
        else reject(helperError(program, host, error))
        return
      }
      try {
        resolve(parseHelperOutput(stdout))
      } catch {
        reject(new RegistryError(`${program} returned unreadable output for ${host}`, { transient: false }))
      }
    })
    child.stdin?.end(serverUrl)
  })
}

function helperError(program: string, host: string, error: { code?: string | number | null }): RegistryError {
  // Never include the helper's output: it may echo secrets.
  const reason =
    error.code === 'ENOENT' ? 'is not on PATH' : `failed (exit ${String(error.code ?? 'signal')})`
  return new RegistryError(`credential helper ${program} ${reason} for ${host}`, { transient: false })
}

function parseHelperOutput(stdout: string): RegistryAuth | undefined {
  const json = JSON.parse(stdout) as { Username?: unknown; Secret?: unknown }
  if (typeof json.Secret !== 'string' || json.Secret === '') return undefined
  if (json.Username === '<token>') return { identityToken: json.Secret }
  if (typeof json.Username !== 'string') throw new Error('no Username')
  return { username: json.Username, password: json.Secret }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
