// One entry point for every webhook type: authenticate first (nothing unauthenticated is parsed), then
// parse JSON, then read the repositories through the type's source. Never throws; no outbound HTTP.
import { distribution } from './distribution.js'
import { dockerhub } from './dockerhub.js'
import { generic } from './generic.js'
import { github } from './github.js'
import { harbor } from './harbor.js'
import { quay } from './quay.js'
import {
  MAX_SIGNED_WEBHOOK_BODY_BYTES,
  MAX_WEBHOOK_BODY_BYTES,
  PayloadError,
  type WebhookHead,
  type WebhookOutcome,
  type WebhookRejection,
  type WebhookRequest,
  type WebhookSource,
  type WebhookType,
} from './types.js'

export const WEBHOOK_SOURCES: Readonly<Record<WebhookType, WebhookSource>> = {
  dockerhub,
  github,
  quay,
  harbor,
  distribution,
  generic,
}

function sourceOf(type: WebhookType): WebhookSource | undefined {
  return Object.hasOwn(WEBHOOK_SOURCES, type) ? WEBHOOK_SOURCES[type] : undefined
}

/** True for types whose signature covers the body, which must then be read before it is authenticated. */
export function webhookSignsBody(type: WebhookType): boolean {
  return sourceOf(type)?.authenticateBody !== undefined
}

/** The limit on a webhook body of this type: tight where the body must be read to be authenticated. */
export function webhookBodyLimit(type: WebhookType): number {
  return webhookSignsBody(type) ? MAX_SIGNED_WEBHOOK_BODY_BYTES : MAX_WEBHOOK_BODY_BYTES
}

/**
 * The check the HTTP layer makes before reading any byte of the body: complete for a secret in the URL or
 * a header; for a body signature, that the header is present and well-formed. Undefined when it passes.
 */
export function rejectWebhookHead(request: WebhookHead, secret: string): WebhookRejection | undefined {
  const source = sourceOf(request.type)
  if (!source) return { ok: false, status: 400, message: `unknown webhook type "${String(request.type)}"` }
  if (!secret) return { ok: false, status: 401, message: `no secret configured for ${request.type} webhooks` }
  if (source.authenticateHead(request, secret)) return undefined
  return { ok: false, status: 401, message: `${request.type} webhook: missing or wrong secret or signature` }
}

export function handleWebhook(request: WebhookRequest, secret: string): WebhookOutcome {
  const rejected = rejectWebhookHead(request, secret)
  if (rejected) return rejected
  const source = sourceOf(request.type)!
  if (source.authenticateBody && !source.authenticateBody(request, secret)) {
    return {
      ok: false,
      status: 401,
      message: `${request.type} webhook: missing or wrong secret or signature`,
    }
  }
  const limit = webhookBodyLimit(request.type)
  if (request.body.length > limit) {
    return { ok: false, status: 400, message: `body larger than ${limit} bytes` }
  }
  let payload: unknown
  try {
    payload = JSON.parse(request.body.toString('utf8'))
  } catch {
    return { ok: false, status: 400, message: `${request.type} webhook: body is not valid JSON` }
  }
  try {
    return { ok: true, repositories: [...new Set(source.repositories(payload, request))] }
  } catch (error) {
    if (error instanceof PayloadError) return { ok: false, status: 400, message: error.message }
    return { ok: false, status: 400, message: `${request.type} webhook: unreadable payload` }
  }
}
