export { formatDuration, parseDuration } from './duration.js'
export { ConfigError, type ConfigIssue } from './issues.js'
export { defaultConfig, loadConfig, parseConfig, REDIS_URL_ENV } from './load.js'
export { endpointHosts, registrySettings } from './registry-settings.js'
export {
  DEFAULT_AUTHOR,
  DEFAULT_CI_SKIP,
  DEFAULT_EXCLUDE_TAGS,
  type ImagebotConfig,
  type ImagebotConfigInput,
  type RegistryConfig,
  type RepositoryConfig,
  WEBHOOK_TYPES,
  type WebhookConfig,
} from './schema.js'
