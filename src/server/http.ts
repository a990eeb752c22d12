// The daemon's one HTTP server (fastify): webhooks, /metrics, /healthz, /readyz, /status.
// Webhook URLs may carry a secret (`/hooks/dockerhub/<secret>`), so no URL is ever logged.
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify'
import type { Logger } from 'pino'
import type { StatusSnapshot } from './status.js'
import { registerSteering, type SteeringDeps } from './steering.js'
import { canonicalImages } from './webhook-images.js'
import {
  MAX_WEBHOOK_BODY_BYTES,
  WEBHOOK_TYPES,
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

async function receiveWebhook(deps: HttpServerDeps, request: FastifyRequest, reply: FastifyReply) {
  const { type, secret } = request.params as { type: string; secret?: string }
  const endpoint = deps.webhooks.find((w) => w.type === type)
  if (!endpoint || !WEBHOOK_TYPES.includes(endpoint.type)) {
    return reply.code(404).send({ error: `no webhook of type "${type}" is configured` })
  }
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
  const webhookRequest: WebhookRequest = { type: endpoint.type, headers: request.headers, body }
  if (secret !== undefined) webhookRequest.pathSecret = secret
  const outcome = deps.handleWebhook(webhookRequest, endpoint.secret)
  deps.onWebhook?.(type, outcome)
  if (!outcome.ok) {
    deps.logger.warn({ webhook: type, status: outcome.status, reason: outcome.message }, 'webhook rejected')
    return reply.code(outcome.status).send({ error: outcome.message })
  }
  const { keys, invalid } = canonicalImages(outcome.repositories, deps.hostAliases)
  let hint: ScanHintResult
  try {
    hint = await deps.scanHint(keys)
  } catch (error) {
    // The queue is unreachable (Redis down): registries retry webhooks that fail, so say so.
    const reason = error instanceof Error ? error.message : String(error)
    deps.logger.error({ webhook: type, images: keys, error: reason }, 'webhook scan could not be queued')
    return reply.code(503).send({ error: 'the scan could not be queued; try again later' })
  }
  const answer = { queued: hint.queued, ignored: [...hint.ignored, ...invalid] }
  deps.logger.info({ webhook: type, ...answer }, 'webhook accepted')
  return reply.code(202).send(answer)
}

export async function startHttpServer(deps: HttpServerDeps, listen: string): Promise<HttpServer> {
  const { host, port } = parseListen(listen)
  const app = Fastify({ logger: false, bodyLimit: MAX_WEBHOOK_BODY_BYTES })
  // Signatures cover the exact bytes, so every body stays a Buffer whatever its content type.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500
    if (status === 413) {
      const { type } = request.params as { type?: string }
      deps.onWebhook?.(type ?? 'unknown', { ok: false, status: 400, message: 'body too large' })
    }
    if (status >= 500)
      deps.logger.error({ route: request.routeOptions.url, error: error.message }, 'request failed')
    return reply.code(status).send({ error: status >= 500 ? 'internal error' : error.message })
  })

  if (deps.steering) registerSteering(app, deps.steering)
  app.post('/hooks/:type', (request, reply) => receiveWebhook(deps, request, reply))
  app.post('/hooks/:type/:secret', (request, reply) => receiveWebhook(deps, request, reply))
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
