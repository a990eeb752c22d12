// The daemon's one HTTP server (fastify): webhooks, /metrics, /healthz, /readyz, /status.
// Webhook URLs may carry a secret (`/hooks/dockerhub/<secret>`), so no URL is ever logged.
import Fastify, { type FastifyError } from 'fastify'
import type { Logger } from 'pino'
import { DEFAULT_HTTP_LIMITS, type HttpLimits, serverTimeoutOptions } from './http-limits.js'
import type { StatusSnapshot } from './status.js'
import { registerSteering, type SteeringDeps } from './steering.js'
import { registerWebhookRoutes } from './webhook-routes.js'
import {
  MAX_WEBHOOK_BODY_BYTES,
  type WebhookOutcome,
  type WebhookRequest,
  type WebhookType,
} from './webhooks/index.js'

export interface WebhookEndpoint {
  type: WebhookType
  secret: string
}

export interface ScanHintResult {
  /** Canonical image repository keys queued for a scan. */
  queued: string[]
  /** Repositories no target uses, or not image references at all. */
  ignored: string[]
}

export interface HttpServerDeps {
  webhooks: WebhookEndpoint[]
  handleWebhook: (request: WebhookRequest, secret: string) => WebhookOutcome
  /**
   * Queues scans of the given canonical image keys that the daemon knows; reports the rest as ignored.
   * Rejects when the queue is unreachable (answered 503).
   */
  scanHint: (images: string[]) => Promise<ScanHintResult>
  status: () => Promise<StatusSnapshot>
  ready: () => Promise<{ ready: boolean; reason?: string }>
  metrics: () => Promise<{ contentType: string; body: string }>
  /** Counts each webhook request by its outcome (metrics). */
  onWebhook?: (type: string, outcome: WebhookOutcome) => void
  /** API endpoint host → the registry hosts it serves, as written in image refs (mirrors, overrides). */
  hostAliases?: Record<string, string[]>
  /** The status page, /api steering and server.auth (src/server/steering.ts). */
  steering?: SteeringDeps
  logger: Logger
}

export interface HttpServer {
  /** `http://host:port` actually bound. */
  url: string
  close(): Promise<void>
}

/** `127.0.0.1:8080`, `:8080`, `8080`, `[::1]:8080` → host and port. */
export function parseListen(listen: string): { host: string; port: number } {
  const match = /^(?:(\[[^\]]+\]|[^:]*):)?(\d{1,5})$/.exec(listen.trim())
  const port = Number(match?.[2])
  if (!match || port > 65535) {
    throw new Error(`server.listen "${listen}": expected host:port such as 127.0.0.1:8080`)
  }
  const host = (match[1] ?? '').replace(/^\[|\]$/g, '')
  return { host: host === '' ? '0.0.0.0' : host, port }
}

export async function startHttpServer(
  deps: HttpServerDeps,
  listen: string,
  limits: HttpLimits = DEFAULT_HTTP_LIMITS,
): Promise<HttpServer> {
  const { host, port } = parseListen(listen)
  const app = Fastify({ logger: false, bodyLimit: MAX_WEBHOOK_BODY_BYTES, ...serverTimeoutOptions(limits) })
  // Signatures cover the exact bytes, so every body stays a Buffer whatever its content type.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500
    if (status === 413) {
      const { type } = request.params as { type?: string }
      deps.onWebhook?.(type ?? 'unknown', { ok: false, status: 400, message: 'body too large' })
      // The rest of an oversized body is not worth reading.
      reply.header('connection', 'close')
    }
    if (status >= 500)
      deps.logger.error({ route: request.routeOptions.url, error: error.message }, 'request failed')
    return reply.code(status).send({ error: status >= 500 ? 'internal error' : error.message })
  })

  if (deps.steering) registerSteering(app, deps.steering)
  registerWebhookRoutes(app, deps, limits)
  app.get('/healthz', async () => ({ status: 'ok' }))
  app.get('/readyz', async (_request, reply) => {
    const readiness = await deps.ready()
    return reply.code(readiness.ready ? 200 : 503).send(readiness)
  })
  app.get('/status', async () => await deps.status())
  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await deps.metrics()
    return reply.type(contentType).send(body)
  })

  await app.listen({ host, port })
  const address = app.server.address()
  const boundPort = typeof address === 'object' && address ? address.port : port
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host
  return { url: `http://${urlHost}:${boundPort}`, close: () => app.close() }
}
