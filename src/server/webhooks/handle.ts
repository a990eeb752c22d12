// One entry point for every webhook type: authenticate first (nothing unauthenticated is parsed), then
// parse JSON, then read the repositories through the type's source. Never throws; no outbound HTTP.
import { distribution } from './distribution.js'
import { dockerhub } from './dockerhub.js'
import { generic } from './generic.js'
import { github } from './github.js'
import { harbor } from './harbor.js'
import { quay } from './quay.js'
import {
  MAX_WEBHOOK_BODY_BYTES,
  PayloadError,
  type WebhookOutcome,
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

export function handleWebhook(request: WebhookRequest, secret: string): WebhookOutcome {
  const source = Object.hasOwn(WEBHOOK_SOURCES, request.type) ? WEBHOOK_SOURCES[request.type] : undefined
  if (!source) return { ok: false, status: 400, message: `unknown webhook type "${String(request.type)}"` }
  if (!secret) return { ok: false, status: 401, message: `no secret configured for ${request.type} webhooks` }
  if (!source.authenticate(request, secret)) {
    return {
      ok: false,
      status: 401,
      message: `${request.type} webhook: missing or wrong secret or signature`,
    }
  }
  if (request.body.length > MAX_WEBHOOK_BODY_BYTES) {
    return { ok: false, status: 400, message: `body larger than ${MAX_WEBHOOK_BODY_BYTES} bytes` }
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
