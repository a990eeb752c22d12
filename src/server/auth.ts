// `server.auth` for the page, /status and /api/*: a bearer token or basic credentials, compared in constant
// time. Webhooks keep their own secrets and never go through this.
import { createHash, timingSafeEqual } from 'node:crypto'

export type ServerAuth = { token: string } | { username: string; password: string }

/** Hashing first makes the comparison constant-time whatever the lengths. */
function same(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(given), digest(expected))
}

/** True when the Authorization header carries the configured credentials. */
export function authorized(header: string | undefined, auth: ServerAuth): boolean {
  if (!header) return false
  const [scheme = '', value = ''] = header.split(/\s+/, 2)
  if ('token' in auth) return scheme.toLowerCase() === 'bearer' && same(value, auth.token)
  if (scheme.toLowerCase() !== 'basic') return false
  const decoded = Buffer.from(value, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return false
  // Both compared, always, so a wrong user name costs the same time as a wrong password.
  const userOk = same(decoded.slice(0, colon), auth.username)
  const passwordOk = same(decoded.slice(colon + 1), auth.password)
  return userOk && passwordOk
}

/** The WWW-Authenticate challenge that makes a browser ask for basic credentials. */
export function challenge(auth: ServerAuth): string {
  return 'token' in auth ? 'Bearer realm="imagebot"' : 'Basic realm="imagebot", charset="UTF-8"'
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false
  return address === '::1' || /^(?:::ffff:)?127\./.test(address)
}
