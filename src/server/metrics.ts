// Prometheus metrics on a registry of their own (never prom-client's global one), so tests and embedded
// uses can create several without clashes. Label values are bounded: registry hosts, config repository
// URLs (never credentials) and fixed result words.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { WebhookOutcome } from './webhooks/types.js'

export type RequestKind = 'tags' | 'manifest' | 'blob' | 'token' | 'ping'
/** `partial`: synced and pushed what it could, but some files or images failed; `error`: nothing done. */
export type UpdateResultLabel = 'updated' | 'unchanged' | 'partial' | 'error'
export type PushResultLabel = 'ok' | 'rejected' | 'error'
/** `ignored`: authenticated and valid, but nothing to scan (a ping, a pull event). */
export type WebhookResultLabel = 'accepted' | 'ignored' | 'unauthorized' | 'invalid'

export interface Metrics {
  readonly registry: Registry
  /** `status` is the HTTP status, or `error` when no response came (timeout, reset). */
  registryRequest(registry: string, kind: RequestKind, status: number | 'error'): void
  rateLimitRemaining(registry: string, remaining: number): void
  /** Starts a timer; call the returned function when the scan of this image repository ends. */
  startScan(imageRepository: string): () => void
  startUpdate(configRepository: string): () => void
  updateFinished(configRepository: string, result: UpdateResultLabel): void
  pushFinished(configRepository: string, result: PushResultLabel): void
  /** A run that was synced and pushed everything it could (`updated`, `unchanged` or `partial`). */
  lastSuccess(configRepository: string, at?: Date): void
  /** Whether the last fetch of a config repository worked (0: wrong credentials, unknown branch, down). */
  configRepoUp(configRepository: string, up: boolean): void
  /** Whether the last scan of an image repository hit an error (1) or not (0). */
  imageError(imageRepository: string, failing: boolean): void
  /** Counts a webhook by its outcome, or by a result label the HTTP layer chose (e.g. `too_large`). */
  webhook(type: string, result: WebhookOutcome | string): void
  /** The exposition text for GET /metrics, and its content type. */
  render(): Promise<{ contentType: string; body: string }>
}

const SCAN_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]
const UPDATE_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]

export function createMetrics(options: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry()
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'imagebot_' })
  const registers = [registry]

  const requests = new Counter({
    name: 'imagebot_registry_requests_total',
    help: 'Registry HTTP requests by registry host, kind and response status.',
    labelNames: ['registry', 'kind', 'status'] as const,
    registers,
  })
  const remaining = new Gauge({
    name: 'imagebot_registry_ratelimit_remaining',
    help: 'Requests left in the registry rate-limit window, as last reported by the registry.',
    labelNames: ['registry'] as const,
    registers,
  })
  const scanDuration = new Histogram({
    name: 'imagebot_scan_duration_seconds',
    help: 'Time to scan one image repository (tags and needed metadata).',
    labelNames: ['repository'] as const,
    buckets: SCAN_BUCKETS,
    registers,
  })
  const updateDuration = new Histogram({
    name: 'imagebot_update_duration_seconds',
    help: 'Time of one update run of a config repository, push included.',
    labelNames: ['repository'] as const,
    buckets: UPDATE_BUCKETS,
    registers,
  })
  const updates = new Counter({
    name: 'imagebot_updates_total',
    help: 'Update runs of a config repository by result.',
    labelNames: ['repository', 'result'] as const,
    registers,
  })
  const pushes = new Counter({
    name: 'imagebot_pushes_total',
    help: 'Pushes to a config repository by result (rejected: the branch moved, recomputed and retried).',
    labelNames: ['repository', 'result'] as const,
    registers,
  })
  const lastSuccess = new Gauge({
    name: 'imagebot_last_success_timestamp_seconds',
    help: 'Unix time of the last update run of a config repository that synced it and pushed everything it could (some files or images may have failed: see imagebot_image_error).',
    labelNames: ['repository'] as const,
    registers,
  })
  const repoUp = new Gauge({
    name: 'imagebot_config_repo_up',
    help: '1 when the last fetch of the config repository worked, 0 when it could not be read.',
    labelNames: ['repository'] as const,
    registers,
  })
  const imageError = new Gauge({
    name: 'imagebot_image_error',
    help: '1 when the last scan of the image repository hit an error, else 0.',
    labelNames: ['image'] as const,
    registers,
  })
  const webhooks = new Counter({
    name: 'imagebot_webhooks_total',
    help: 'Webhook requests by type and result.',
    labelNames: ['type', 'result'] as const,
    registers,
  })

  return {
    registry,
    registryRequest: (host, kind, status) => requests.inc({ registry: host, kind, status: String(status) }),
    rateLimitRemaining: (host, value) => remaining.set({ registry: host }, value),
    startScan: (repository) => stopwatch(scanDuration, repository),
    startUpdate: (repository) => stopwatch(updateDuration, repository),
    updateFinished: (repository, result) => updates.inc({ repository, result }),
    pushFinished: (repository, result) => pushes.inc({ repository, result }),
    lastSuccess: (repository, at = new Date()) => lastSuccess.set({ repository }, at.getTime() / 1000),
    configRepoUp: (repository, up) => repoUp.set({ repository }, up ? 1 : 0),
    imageError: (image, failing) => imageError.set({ image }, failing ? 1 : 0),
    webhook: (type, result) =>
      webhooks.inc({ type, result: typeof result === 'string' ? result : webhookResult(result) }),
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  }
}

function stopwatch(histogram: Histogram<'repository'>, repository: string): () => void {
  const end = histogram.startTimer({ repository })
  return () => {
    end()
  }
}

export function webhookResult(outcome: WebhookOutcome): WebhookResultLabel {
  if (outcome.ok) return outcome.repositories.length > 0 ? 'accepted' : 'ignored'
  return outcome.status === 401 ? 'unauthorized' : 'invalid'
}
