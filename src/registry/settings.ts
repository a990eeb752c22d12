// Per-registry settings (the config loader maps imagebot.yaml onto RegistrySettings) and the
// defaults a host gets when it has no entry.
import { DOCKER_HUB } from '../image/reference.js'
import { RegistryError } from './errors.js'
import { formatPlatform, parsePlatform } from './platform.js'

export type RegistryAuth = { username: string; password: string } | { identityToken: string }

export interface RegistrySettings {
  /** As written in image refs; 'docker.io' for bare names. */
  host: string
  /** API base override or mirror, e.g. 'http://127.0.0.1:5000' (http allowed). */
  endpoint?: string
  auth?: RegistryAuth
  /** Token bucket for all requests to this registry; unlimited when absent. */
  rateLimit?: { rps: number; burst: number }
  /** os/arch[/variant] picked from multi-arch indexes; default 'linux/amd64'. */
  platform?: string
  /** tags/list page size `n`; default 100. */
  pageSize?: number
  /** Pages followed per repository before stopping with a warning; default 100. */
  maxPages?: number
  /** Per HTTP attempt; default 10000. */
  timeoutMs?: number
  /** Longest Retry-After honoured within a run; default 60000. Longer waits end the attempt. */
  retryAfterCapMs?: number
  /** Retries per request for transient failures (5xx, 429, timeouts, resets); default 3. */
  maxRetries?: number
  /** First backoff delay, doubled per retry; default 500. */
  retryBaseMs?: number
  /** Requests in flight to this registry at once; default 8. */
  maxConcurrency?: number
  /** Not implemented: imagebot always uses the distribution API (see README). */
  dockerHubApi?: boolean
}

export interface ResolvedSettings {
  host: string
  /** Without a trailing slash. */
  endpoint: string
  /** Where the endpoint comes from, for errors: `registries[2] (host ghcr.io)` or `the default endpoint`. */
  endpointOrigin: string
  auth?: RegistryAuth
  rateLimit?: { rps: number; burst: number }
  platform: string
  pageSize: number
  maxPages: number
  timeoutMs: number
  retryAfterCapMs: number
  maxRetries: number
  retryBaseMs: number
  maxConcurrency: number
}

const DOCKER_HUB_ENDPOINT = 'https://registry-1.docker.io'
const HUB_ALIASES = new Set([DOCKER_HUB, 'index.docker.io', 'registry-1.docker.io'])

/** Canonical host form used as the key for settings, credentials and state. */
export function normalizeHost(host: string): string {
  const lower = host.trim().toLowerCase()
  return HUB_ALIASES.has(lower) ? DOCKER_HUB : lower
}

export function resolveSettings(all: RegistrySettings[], host: string): ResolvedSettings {
  const key = normalizeHost(host)
  const index = all.findIndex((candidate) => normalizeHost(candidate.host) === key)
  const entry = all[index]
  const endpoint = entry?.endpoint ?? (key === DOCKER_HUB ? DOCKER_HUB_ENDPOINT : `https://${key}`)
  const resolved: ResolvedSettings = {
    host: key,
    endpoint: checkEndpoint(key, endpoint),
    endpointOrigin: entry?.endpoint ? `registries[${index}] (host ${entry.host})` : 'the default endpoint',
    platform: checkPlatform(key, entry?.platform ?? 'linux/amd64'),
    pageSize: positive(key, 'pageSize', entry?.pageSize, 100),
    maxPages: positive(key, 'maxPages', entry?.maxPages, 100),
    timeoutMs: positive(key, 'timeoutMs', entry?.timeoutMs, 10_000),
    retryAfterCapMs: positive(key, 'retryAfterCapMs', entry?.retryAfterCapMs, 60_000),
    maxRetries: nonNegative(key, 'maxRetries', entry?.maxRetries, 3),
    retryBaseMs: nonNegative(key, 'retryBaseMs', entry?.retryBaseMs, 500),
    maxConcurrency: positive(key, 'maxConcurrency', entry?.maxConcurrency, 8),
  }
  if (entry?.auth) resolved.auth = entry.auth
  if (entry?.rateLimit) resolved.rateLimit = checkRateLimit(key, entry.rateLimit)
  return resolved
}

function checkEndpoint(host: string, endpoint: string): string {
  let url: URL
  try {
    url = new URL(endpoint)
  } catch {
    throw settingsError(host, `endpoint "${endpoint}" is not a URL; write e.g. https://${host}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw settingsError(host, `endpoint must use http or https, not ${url.protocol}`)
  }
  if (url.username || url.password) {
    throw settingsError(host, 'endpoint must not contain credentials; use the auth setting')
  }
  return url.href.replace(/\/+$/, '')
}

function checkPlatform(host: string, platform: string): string {
  try {
    return formatPlatform(parsePlatform(platform))
  } catch (error) {
    throw settingsError(host, (error as Error).message)
  }
}

function checkRateLimit(host: string, limit: { rps: number; burst: number }) {
  positive(host, 'rateLimit.rps', limit.rps, 1)
  positive(host, 'rateLimit.burst', limit.burst, 1)
  return limit
}

function positive(host: string, name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value <= 0) throw settingsError(host, `${name} must be a positive number`)
  return value
}

function nonNegative(host: string, name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value < 0) throw settingsError(host, `${name} must be zero or more`)
  return value
}

function settingsError(host: string, detail: string): RegistryError {
  return new RegistryError(`registry settings for ${host}: ${detail}`, { transient: false })
}
