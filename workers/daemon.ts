import type { Logger } from 'pino'
import { Notifier, type NotifyRetry } from '../src/notify/notifier.js'
import type { NotifyTarget } from '../src/notify/target.js'
import type { JobBackend, JobProcessors } from '../src/queue/backend.js'
import type { PipelineHandlers } from '../src/queue/contract.js'
import type { ServerAuth } from '../src/server/auth.js'
import {
  type HttpServer,
  type ScanHintResult,
  startHttpServer,
  type WebhookEndpoint,
} from '../src/server/http.js'
import type { HttpLimits } from '../src/server/http-limits.js'
import { createMetrics, type Metrics } from '../src/server/metrics.js'
import { PAGE_CSP } from '../src/server/page/render.js'
import type { StatusStore } from '../src/server/status.js'
import { statusWithFallback } from '../src/server/status-fallback.js'
import type { SuspensionStore } from '../src/server/suspension.js'
import { handleWebhook } from '../src/server/webhooks/index.js'
import { markStage } from '../src/stage-timing.js'
import { createBacking, DEFAULTS } from './backing.js'
import type { WorkerContext } from './context.js'
import { createLogger, errorMessage } from './logger.js'
import { rebuildAfterDataLoss } from './redis-recovery.js'
import { scanProcessor } from './scan-worker.js'
import { type DiscoveryMemory, discoverProcessor } from './scheduler.js'
import { reconcile, type SteeringOptions, setSuspended, statusPage } from './steering.js'
import { updateProcessor } from './update-worker.js'

export type DaemonRole = 'all' | 'scheduler' | 'worker' | 'web'

export interface DaemonTuning {
  /** Repository lock TTL and BullMQ job lock duration: a dead worker's update re-runs after about this. */
  lockTtlMs?: number
  /** Delay before an update whose repository is locked tries again. */
  lockRetryMs?: number
  /** How often BullMQ workers look for jobs of dead workers. */
  stalledIntervalMs?: number
  attempts?: number
  backoffMs?: number
  concurrency?: { scan?: number; update?: number }
  /** How long a webhook waits for the queue (Redis) before it is answered 503; default 5000 ms. */
  hintTimeoutMs?: number
  /**
   * A webhook's scan is queued once more after this long; default 1000 ms, 0 turns it off. The distribution
   * registry sends its push event before it links the tag, so the first scan can miss the very tag announced.
   */
  confirmScanMs?: number
  /** Notification retries (default 5 tries, backoff from 2 s, 10 s per request). */
  notifyRetry?: NotifyRetry
  /** How often a scheduler checks that Redis kept its data (besides after each reconnect); default 5 s. */
  dataLossCheckMs?: number
}

export interface DaemonOptions {
  handlers: PipelineHandlers
  /** 'embedded' runs every job in this process; with a Redis URL several processes share the work. */
  backend: 'embedded' | { redisUrl: string; prefix?: string }
  role?: DaemonRole
  /** host:port of the HTTP server; default 127.0.0.1:8080 for roles web and all, none for the others. */
  listen?: string
  /** Update coalescing window; default 2000 ms, 0 allowed. */
  coalesceMs?: number
  /** Discovery period; default 5 minutes. Discovery also runs after each pushed commit. */
  rediscoverMs?: number
  webhooks?: WebhookEndpoint[]
  /** Client deadlines and the cap on unauthenticated bodies of the HTTP server; defaults DEFAULT_HTTP_LIMITS. */
  httpLimits?: HttpLimits
  /** API endpoint host → the registry hosts it serves, so webhooks from a mirror find their images. */
  hostAliases?: Record<string, string[]>
  /** Default: a fresh registry from createMetrics(); pass the one the pipeline records into. */
  metrics?: Metrics
  logger?: Logger
  tuning?: DaemonTuning
  /** server.auth: needed for the page, /status and /api; without it /api answers loopback only. */
  auth?: ServerAuth
  /** Configured repositories, for the page (branch) and for reconcile/suspend to check names against. */
  repositories?: { url: string; branch: string }[]
  /** Embedded mode keeps suspensions here (daemon-state.json) so they survive a restart; Redis keeps them otherwise. */
  stateDir?: string
  /** `notify:` receivers; their outbox lives where suspensions do. */
  notify?: NotifyTarget[]
}

export interface Daemon {
  /** Base URL of the HTTP server, when this role serves one. */
  url?: string
  backend: JobBackend
  status: StatusStore
  suspension: SuspensionStore
  /** Stops HTTP, lets running jobs finish, closes Redis. Safe to call twice. */
  close(): Promise<void>
  /** Ends a close() that did not finish: drops every connection, and says what was still running or closing. */
  forceClose(): string[]
}

const DEFAULT_LISTEN = '127.0.0.1:8080'

function processorsFor(
  role: DaemonRole,
  ctx: WorkerContext,
  options: DaemonOptions,
  discovery: DiscoveryMemory,
): JobProcessors {
  const processors: JobProcessors = {}
  if (role === 'all' || role === 'scheduler') processors.discover = discoverProcessor(ctx, discovery)
  if (role === 'all' || role === 'worker') {
    processors.scan = scanProcessor(ctx)
    processors.update = updateProcessor(ctx, {
      lockTtlMs: options.tuning?.lockTtlMs ?? DEFAULTS.lockTtlMs,
      lockRetryMs: options.tuning?.lockRetryMs ?? DEFAULTS.lockRetryMs,
    })
  }
  return processors
}

/** Webhook hints: only images some target uses are scanned; a hint for any other image is ignored. */
async function queueKnownImages(
  ctx: WorkerContext,
  images: string[],
  confirmMs: number,
): Promise<ScanHintResult> {
  const queued: string[] = []
  const ignored: string[] = []
  for (const image of images) {
    const known = await ctx.status.isKnownImage(image)
    if (known) {
      await ctx.backend.enqueueScan(image)
      markStage('scan queued', image)
      if (confirmMs > 0) confirmLater(ctx, image, confirmMs)
    }
    ;(known ? queued : ignored).push(image)
  }
  return { queued, ignored }
}

/** One more scan a moment later: one tags/list per webhook buys never missing a tag announced too early. */
function confirmLater(ctx: WorkerContext, image: string, delayMs: number): void {
  const timer = setTimeout(() => {
    ctx.backend.enqueueScan(image).catch((error: unknown) => {
      ctx.logger.warn({ image, error: errorMessage(error) }, 'confirming scan not queued')
    })
  }, delayMs)
  timer.unref()
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}

async function startWeb(
  ctx: WorkerContext,
  options: DaemonOptions,
  listen: string,
  statusConnected: () => boolean,
): Promise<HttpServer> {
  const { backend, status, metrics } = ctx
  const readStatus = statusWithFallback(() => status.snapshot(), { connected: statusConnected })
  const steering: SteeringOptions = {
    readStatus,
    repositories: options.repositories ?? [],
    ...(options.hostAliases && { hostAliases: options.hostAliases }),
  }
  return await startHttpServer(
    {
      webhooks: options.webhooks ?? [],
      handleWebhook,
      scanHint: (images) =>
        withTimeout(
          queueKnownImages(ctx, images, options.tuning?.confirmScanMs ?? DEFAULTS.confirmScanMs),
          options.tuning?.hintTimeoutMs ?? DEFAULTS.hintTimeoutMs,
          'queueing the scan',
        ),
      status: readStatus,
      ready: async () => {
        if (!(await backend.ready())) return { ready: false, reason: `${backend.kind} backend not reachable` }
        if ((await status.discoveredAt()) === undefined)
          return { ready: false, reason: 'discovery has not run yet' }
        return { ready: true }
      },
      metrics: () => metrics.render(),
      onWebhook: (type, outcome) => metrics.webhook(type, outcome),
      ...(options.hostAliases && { hostAliases: options.hostAliases }),
      steering: {
        ...(options.auth && { auth: options.auth }),
        page: (query) => statusPage(ctx, steering, query),
        pageCsp: PAGE_CSP,
        reconcile: (target) => reconcile(ctx, steering, target),
        setSuspended: (repo, suspended) => setSuspended(ctx, steering, repo, suspended),
        logger: ctx.logger,
      },
      logger: ctx.logger,
    },
    listen,
    options.httpLimits,
  )
}

export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  const role = options.role ?? 'all'
  const logger = options.logger ?? createLogger()
  const { backend, status, suspension, state, closeStatus, statusConnected } = createBacking(options, logger)
  const updates = role === 'all' || role === 'worker'
  const notifier =
    updates && (options.notify ?? []).length > 0
      ? new Notifier({
          targets: options.notify ?? [],
          storage: state,
          lock: (name, ttlMs) => backend.acquireLock(name, ttlMs),
          logger,
          ...(options.tuning?.notifyRetry && { retry: options.tuning.notifyRetry }),
        })
      : undefined
  const ctx: WorkerContext = {
    handlers: options.handlers,
    backend,
    status,
    suspension,
    ...(notifier && { notifier }),
    metrics: options.metrics ?? createMetrics(),
    logger,
  }
  const serves = role === 'all' || role === 'web' || options.listen !== undefined
  let server: HttpServer | undefined
  try {
    const discovery: DiscoveryMemory = {}
    await backend.process(processorsFor(role, ctx, options, discovery))
    notifier?.start()
    if (role === 'all' || role === 'scheduler') {
      const rediscoverMs = options.rediscoverMs ?? DEFAULTS.rediscoverMs
      await backend.scheduleDiscover(rediscoverMs)
      await rebuildAfterDataLoss(ctx, discovery, {
        rediscoverMs,
        ...(options.tuning?.dataLossCheckMs !== undefined && {
          checkEveryMs: options.tuning.dataLossCheckMs,
        }),
      })
    }
    if (serves) server = await startWeb(ctx, options, options.listen ?? DEFAULT_LISTEN, statusConnected)
  } catch (error) {
    await notifier?.close()
    await backend.close()
    closeStatus()
    throw error
  }
  logger.info({ role, backend: backend.kind, url: server?.url }, 'daemon started')

  let closing: Promise<void> | undefined
  let serverClosing = false
  const close = () => {
    closing ??= (async () => {
      logger.info({ role }, 'daemon stopping')
      serverClosing = true
      await server?.close()
      serverClosing = false
      await notifier?.close()
      await backend.close()
      closeStatus()
      logger.info({ role }, 'daemon stopped')
    })()
    return closing
  }
  const forceClose = () => {
    const unfinished = [...(serverClosing ? ['http server'] : []), ...(backend.forceClose?.() ?? [])]
    closeStatus()
    return unfinished
  }
  return { ...(server && { url: server.url }), backend, status, suspension, close, forceClose }
}
