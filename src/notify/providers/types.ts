// One provider per receiver type: it turns an event into the request that receiver expects. Providers are
// pure (event in, request out); the notifier sends, retries and logs.
import type { NotifyEvent } from '../event.js'

export const NOTIFY_TYPES = ['slack', 'msteams', 'discord', 'generic', 'generic-hmac'] as const
export type NotifyType = (typeof NOTIFY_TYPES)[number]

export interface OutgoingRequest {
  headers: Record<string, string>
  body: string
}

export type Provider = (event: NotifyEvent, secret: string | undefined) => OutgoingRequest

export const JSON_HEADERS = { 'content-type': 'application/json' }
