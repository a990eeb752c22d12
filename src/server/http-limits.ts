// Limits that keep slow and hostile clients from holding the daemon: a client gets a few seconds to send
// its headers, a few more for its body, and an idle keep-alive connection is closed soon. node:http checks
// these deadlines every `connectionsCheckingInterval` (30 s by default, which let a stalled body live for
// minutes), so the interval follows the shortest deadline.

export interface HttpLimits {
  /** Time to receive the complete request headers (slowloris). */
  headersTimeoutMs: number
  /** Time after the headers to receive the complete body (a stalled or dripping body). */
  bodyTimeoutMs: number
  /** A keep-alive connection with no request in flight is closed after this. */
  idleTimeoutMs: number
  /**
   * Webhook requests whose body is being read before they can be authenticated (HMAC signed types); more
   * are answered 503 at once, so anonymous bodies held in memory stay bounded.
   */
  maxUnauthenticated: number
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 5_000,
  bodyTimeoutMs: 5_000,
  idleTimeoutMs: 5_000,
  maxUnauthenticated: 32,
}

/** The fastify options that apply the limits to its node:http server. */
export function serverTimeoutOptions(limits: HttpLimits) {
  const requestTimeout = limits.headersTimeoutMs + limits.bodyTimeoutMs
  const shortest = Math.min(limits.headersTimeoutMs, limits.bodyTimeoutMs, limits.idleTimeoutMs)
  return {
    requestTimeout,
    keepAliveTimeout: limits.idleTimeoutMs,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout,
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(shortest / 4))),
    },
  }
}
