// The registries section of the loaded config is the registry client's settings list as is: this file
// makes the compiler prove it, so the two cannot drift apart silently.
import type { RegistrySettings } from '../registry/settings.js'
import type { ImagebotConfig, RegistryConfig } from './schema.js'

/** The entries to pass to createRegistryClient({ registries }). Extra keys (intervalMs) are scheduling data. */
export function registrySettings(config: Pick<ImagebotConfig, 'registries'>): RegistrySettings[] {
  return config.registries
}

type Assignable<From, To> = [From] extends [To] ? true : false
/** Fails to compile when a loaded registries entry stops being a RegistrySettings. */
export const REGISTRY_CONFIG_IS_SETTINGS: Assignable<RegistryConfig, RegistrySettings> = true

/**
 * API endpoint host → every registry host reached through it (as written in image refs). A registry names
 * itself in webhooks by the host it is reached at; one mirror may serve several hosts (`docker.io` and
 * `public.ecr.aws`), and a push it reports may concern any of them, so a webhook wakes them all. An endpoint
 * host that is also configured as a host of its own stays in its list.
 */
export function endpointHosts(config: Pick<ImagebotConfig, 'registries'>): Record<string, string[]> {
  const hosts: Record<string, string[]> = {}
  for (const registry of config.registries) {
    if (!registry.endpoint) continue
    const endpoint = new URL(registry.endpoint).host.toLowerCase()
    const list = hosts[endpoint] ?? []
    if (!list.includes(registry.host)) list.push(registry.host)
    hosts[endpoint] = list
  }
  for (const registry of config.registries) {
    const list = hosts[registry.host.toLowerCase()]
    if (list && !list.includes(registry.host)) list.push(registry.host)
  }
  return hosts
}
