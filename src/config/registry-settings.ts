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
