// Pure timing rules for retries: Retry-After parsing, exponential backoff, Docker Hub's budget header.

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  // HTTP dates name a weekday and month; anything else (e.g. "-5") is unreadable, not a date.
  const date = /[a-z]{3}/i.test(text) ? Date.parse(text) : Number.NaN
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}

/** base · 2^attempt with ±25 % jitter so parallel clients do not retry in step; at most 30 s. */
export function backoffMs(attempt: number, baseMs: number, random = Math.random): number {
  const exponential = baseMs * 2 ** attempt
  const jitter = 0.75 + random() * 0.5
  return Math.min(30_000, Math.round(exponential * jitter))
}

/** Docker Hub's `ratelimit-remaining: 76;w=21600` → 76; undefined when absent or unreadable. */
export function parseRemainingBudget(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value
  const match = text ? /^\s*(\d+)/.exec(text) : null
  return match ? Number(match[1]) : undefined
}
