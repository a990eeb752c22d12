// imagebot's own JSON (the event as is, documented in the README), optionally signed: `generic-hmac` adds
// `X-Signature: sha256=<hex HMAC-SHA256 of the body>`, the same scheme as the generic webhook we receive.
import { createHmac } from 'node:crypto'
import type { NotifyEvent } from '../event.js'
import { JSON_HEADERS, type OutgoingRequest } from './types.js'

export function generic(event: NotifyEvent): OutgoingRequest {
  return { headers: JSON_HEADERS, body: JSON.stringify(event) }
}

export function genericHmac(event: NotifyEvent, secret: string | undefined): OutgoingRequest {
  if (!secret) throw new Error('generic-hmac needs a secret')
  const body = JSON.stringify(event)
  const signature = createHmac('sha256', secret).update(body).digest('hex')
  return { headers: { ...JSON_HEADERS, 'x-signature': `sha256=${signature}` }, body }
}
