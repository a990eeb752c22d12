// Secret and signature checks in constant time. Secrets are hashed before comparing, so neither their
// content nor their length leaks through timing.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { WebhookHead } from './types.js'

/** A single header value, found case-insensitively; repeated headers count as absent (ambiguous). */
export function header(request: WebhookHead, name: string): string | undefined {
  const wanted = name.toLowerCase()
  for (const [key, value] of Object.entries(request.headers)) {
    if (key.toLowerCase() !== wanted) continue
    if (Array.isArray(value)) return value.length === 1 ? value[0] : undefined
    return value
  }
  return undefined
}

export function secretsEqual(given: string | undefined, expected: string): boolean {
  if (given === undefined || expected === '') return false
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest()
  return timingSafeEqual(digest(given), digest(expected))
}

const SHA256_SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/

/** Before the body is read: a `sha256=<64 hex>` header is there (without it, no body is worth reading). */
export function signatureWellFormed(signature: string | undefined): boolean {
  return signature !== undefined && SHA256_SIGNATURE.test(signature.trim())
}

/** Checks `sha256=<hex HMAC-SHA256 of the raw body>`, the form GitHub and the generic receiver use. */
export function hmacSha256Valid(signature: string | undefined, body: Buffer, secret: string): boolean {
  if (signature === undefined || secret === '') return false
  const match = SHA256_SIGNATURE.exec(signature.trim())
  if (!match) return false
  const given = Buffer.from(match[1]!, 'hex')
  const expected = createHmac('sha256', secret).update(body).digest()
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/** For tests and senders: the header value for a body. */
export function signSha256(body: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}
