// Starts the daemon on the real pipeline: one registry client whose requests feed the metrics, the pipeline
// handlers, and the queue backend the config asks for (Redis when configured, else embedded). On Redis the
// registry metadata cache is shared too, on a connection of its own that closes with the daemon.

import type { Logger } from 'pino'
import { endpointHosts, type ImagebotConfig } from '../src/config/index.js'
import { connectRedisMetadataStore } from '../src/queue/redis-metadata-store.js'
import { createPipelineHandlers } from '../src/run/handlers.js'
import { createClient } from '../src/run/observer.js'
import { createMetrics } from '../src/server/metrics.js'
import { type Daemon, type DaemonRole, type DaemonTuning, startDaemon } from './daemon.js'
import { createLogger, errorMessage, safeUrl } from './logger.js'

export interface DaemonRun {
  role?: DaemonRole
  listen?: string
  logger?: Logger
  env?: NodeJS.ProcessEnv
  /** Lock and retry timings (tests shorten them). */
  tuning?: DaemonTuning
}

export async function startConfiguredDaemon(config: ImagebotConfig, run: DaemonRun = {}): Promise<Daemon> {
  const metrics = createMetrics({ processMetrics: true })
  const logger = run.logger ?? createLogger()
  const shared = config.redis
    ? connectRedisMetadataStore(config.redis.url, {
        onError: (error) => logger.debug({ source: 'registry cache', error: error.message }, 'redis error'),
      })
    : undefined
  const client = createClient(config, {
    env: run.env ?? {},
    ...(shared && { sharedStore: shared.store }),
    onRequest: (event) => {
      metrics.registryRequest(event.registry, event.kind, event.status || 'error')
      if (event.rateLimitRemaining !== undefined)
        metrics.rateLimitRemaining(event.registry, event.rateLimitRemaining)
    },
  })
  const options: Parameters<typeof startDaemon>[0] = {
    handlers: createPipelineHandlers(config, client, {
      onDiscoveryError: (configRepo, error) =>
        logger.warn(
          { configRepo: safeUrl(configRepo), error: errorMessage(error) },
          'config repository not readable',
        ),
      onRegistryWarning: (warning) => logger.warn({ warning }, 'registry client warning'),
    }),
    backend: config.redis ? { redisUrl: config.redis.url } : 'embedded',
    coalesceMs: config.update.coalesceMs,
    rediscoverMs: config.scan.intervalMs,
    webhooks: config.webhooks,
    hostAliases: endpointHosts(config),
    repositories: config.repositories.map(({ url, branch }) => ({ url, branch })),
    stateDir: config.stateDir,
    httpLimits: config.server.limits,
    notify: config.notify,
    metrics,
    logger,
  }
  if (config.server.auth) options.auth = config.server.auth
  if (run.role) options.role = run.role
  // Scheduler and worker processes serve HTTP only when asked (--listen), so they can share a machine.
  const serves = run.role === undefined || run.role === 'all' || run.role === 'web'
  if (run.listen !== undefined) options.listen = run.listen
  else if (serves) options.listen = config.server.listen
  if (run.tuning) options.tuning = run.tuning
  if (!shared) return startDaemon(options)
  const daemon = await startDaemon(options).catch(async (error: unknown) => {
    await shared.close()
    throw error
  })
  return {
    ...daemon,
    close: () => daemon.close().finally(() => shared.close()),
    forceClose: () => {
      void shared.close()
      return daemon.forceClose()
    },
  }
}
