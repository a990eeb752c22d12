// Where registry credentials come from, first match wins:
//   1. `auth` in the host's registry settings;
//   2. the Docker config: $DOCKER_CONFIG/config.json, else $HOME/.docker/config.json
//      (credHelpers[host], then auths[host], then credsStore);
//   3. the file at `dockerConfigPath`: a Kubernetes dockerconfigjson secret, a legacy .dockercfg
//      or another config.json;
//   4. environment: IMAGEBOT_REGISTRY_<HOST>_USERNAME + _PASSWORD, or _IDENTITY_TOKEN, where
//      <HOST> is the host upper-cased with every other character than A-Z and 0-9 turned into `_`
//      (docker.io → DOCKER_IO, 127.0.0.1:5000 → 127_0_0_1_5000).
// The environment is passed in, never read from process.env here.
import { join } from 'node:path'
import { type DockerConfig, lookupDockerConfig, readDockerConfig } from './docker-config.js'
import { normalizeHost, type RegistryAuth, type RegistrySettings } from './settings.js'

export interface CredentialSources {
  registries: RegistrySettings[]
  env: NodeJS.ProcessEnv
  dockerConfigPath?: string
}

export type CredentialResolver = (host: string) => Promise<RegistryAuth | undefined>

export function createCredentialResolver(sources: CredentialSources): CredentialResolver {
  const cache = new Map<string, Promise<RegistryAuth | undefined>>()
  let files: Promise<DockerConfig[]> | undefined
  const loadFiles = () => {
    if (!files) {
      const loading = Promise.all(configFiles(sources).map(readDockerConfig)).then((all) =>
        all.filter((config): config is DockerConfig => config !== undefined),
      )
      // A broken file fails this lookup; the next lookup reads again (it may have been fixed).
      loading.catch(() => {
        files = undefined
      })
      files = loading
    }
    return files
  }
  return (host) => {
    const key = normalizeHost(host)
    let found = cache.get(key)
    if (!found) {
      found = resolve(sources, key, loadFiles)
      cache.set(key, found)
      found.catch(() => cache.delete(key))
    }
    return found
  }
}

async function resolve(
  sources: CredentialSources,
  host: string,
  loadFiles: () => Promise<DockerConfig[]>,
): Promise<RegistryAuth | undefined> {
  const configured = sources.registries.find((entry) => normalizeHost(entry.host) === host)?.auth
  if (configured) return configured
  for (const config of await loadFiles()) {
    const found = await lookupDockerConfig(config, host, sources.env)
    if (found) return found
  }
  return fromEnvironment(sources.env, host)
}

function configFiles(sources: CredentialSources): string[] {
  const files: string[] = []
  const { DOCKER_CONFIG, HOME } = sources.env
  if (DOCKER_CONFIG) files.push(join(DOCKER_CONFIG, 'config.json'))
  else if (HOME) files.push(join(HOME, '.docker', 'config.json'))
  if (sources.dockerConfigPath) files.push(sources.dockerConfigPath)
  return files
}

export function environmentPrefix(host: string): string {
  return `IMAGEBOT_REGISTRY_${normalizeHost(host)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '_')}`
}

function fromEnvironment(env: NodeJS.ProcessEnv, host: string): RegistryAuth | undefined {
  const prefix = environmentPrefix(host)
  const identityToken = env[`${prefix}_IDENTITY_TOKEN`]
  if (identityToken) return { identityToken }
  const username = env[`${prefix}_USERNAME`]
  const password = env[`${prefix}_PASSWORD`]
  if (username && password !== undefined) return { username, password }
  return undefined
}
