// The webhook routes of the HTTP server. Authentication happens in `onRequest`, before fastify reads any
// byte of the body: a secret in the URL or a header is checked there in full, so an anonymous client can
// make the daemon hold nothing. Types that sign the body (github, generic) need it read first: they get a
// tight body limit, a present and well-formed signature header is required before reading, and at most
// `maxUnauthenticated` such bodies are read at once. Every early answer closes the connection, so the
// unread body is discarded by the socket rather than buffered.
import type { Socket } from 'node:net'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { markStage } from '../stage-timing.js'
import type { HttpServerDeps, ScanHintResult } from './http.js'
import type { HttpLimits } from './http-limits.js'
import { canonicalImages } from './webhook-images.js'
import {
  rejectWebhookHead,
  WEBHOOK_TYPES,
  type WebhookHead,
  type WebhookRequest,
  webhookBodyLimit,
  webhookSignsBody,
} from './webhooks/index.js'

interface HookParams {
  type: string
  secret?: string
}

export function registerWebhookRoutes(app: FastifyInstance, deps: HttpServerDeps, limits: HttpLimits): void {
  let reading = 0
  const endpointOf = (type: string) => deps.webhooks.find((w) => w.type === type)

  const gate = (fixedType?: string) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { type, secret } = hookParams(request, fixedType)
    const endpoint = endpointOf(type)
    if (!endpoint || !WEBHOOK_TYPES.includes(endpoint.type)) {
      return closing(reply, 404).send({ error: `no webhook of type "${type}" is configured` })
    }
    const head: WebhookHead = { type: endpoint.type, headers: request.headers }
    if (secret !== undefined) head.pathSecret = secret
    const rejected = rejectWebhookHead(head, endpoint.secret)
    if (rejected) {
      deps.onWebhook?.(type, rejected)
      deps.logger.warn(
        { webhook: type, status: rejected.status, reason: rejected.message },
        'webhook rejected',
      )
      return closing(reply, rejected.status).send({ error: rejected.message })
    }
    if (webhookSignsBody(endpoint.type)) {
      if (reading >= limits.maxUnauthenticated) {
        deps.logger.warn(
          { webhook: type, reading },
          'webhook refused: too many unauthenticated bodies in flight',
        )
        return closing(reply, 503).header('retry-after', '1').send({ error: 'busy; try again later' })
      }
      reading += 1
      reply.raw.once('close', () => {
        reading -= 1
      })
    }
    return undefined
  }

  const handler = (fixedType?: string) => (request: FastifyRequest, reply: FastifyReply) =>
    receiveWebhook(deps, hookParams(request, fixedType), request, reply)
  // Static routes win over the parametric ones, so each body-signing type gets its tight limit.
  for (const type of WEBHOOK_TYPES.filter(webhookSignsBody)) {
    const options = { bodyLimit: webhookBodyLimit(type), onRequest: gate(type) }
    app.post(`/hooks/${type}`, options, handler(type))
    app.post(`/hooks/${type}/:secret`, options, handler(type))
  }
  app.post('/hooks/:type', { onRequest: gate() }, handler())
  app.post('/hooks/:type/:secret', { onRequest: gate() }, handler())
}

function hookParams(request: FastifyRequest, fixedType: string | undefined): HookParams {
  const params = request.params as Partial<HookParams>
  const found: HookParams = { type: fixedType ?? params.type ?? '' }
  if (params.secret !== undefined) found.secret = params.secret
  return found
}

/**
 * An answer given before the body is read: once it is written, the connection is destroyed, so the rest of
 * the body is neither held nor read (node:http would otherwise read and discard it, megabytes of CPU work
 * an anonymous client could ask for).
 */
function closing(reply: FastifyReply, status: number): FastifyReply {
  reply.raw.once('finish', () => dropConnection(reply.raw.socket))
  return reply.code(status).header('connection', 'close')
}

function dropConnection(socket: Socket | null): void {
  if (!socket || socket.destroyed) return
  if (socket.writableLength === 0) socket.destroy()
  else socket.end(() => socket.destroy())
}

async function receiveWebhook(
  deps: HttpServerDeps,
  { type, secret }: HookParams,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  markStage('webhook received', type)
  const endpoint = deps.webhooks.find((w) => w.type === type)!
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
