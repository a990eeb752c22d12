// Every request to one registry goes through here: scheme discovery (one /v2/ ping), the
// Authorization header, politeness (slots, token bucket, 429 pauses), bounded retries with backoff
// for transient failures, one re-authentication on 401, and guarded redirects.
import { setTimeout as sleep } from 'node:timers/promises'
import { Authenticator } from './auth.js'
import { describeStatus, isTransient, RegistryError, redactUrl } from './errors.js'
import { type HttpRequest, type HttpResponse, sendOnce } from './http.js'
import { RegistryLimiter } from './limiter.js'
import { backoffMs, parseRemainingBudget, parseRetryAfter } from './retry.js'
import type { RegistryAuth, ResolvedSettings } from './settings.js'

export type RequestKind = 'tags' | 'manifest' | 'blob' | 'token' | 'ping'

export interface RequestEvent {
  registry: string
  kind: RequestKind
  /** HTTP status, or 0 when no response arrived (timeout, reset, refused). */
  status: number
  /** The registry's `ratelimit-remaining` (Docker Hub), when it sent one. */
  rateLimitRemaining?: number
}

export interface RegistryRequest {
  kind: RequestKind
  url: string
  method?: 'GET' | 'HEAD'
  accept?: string
  /** The repository the request is about: the pull scope for tokens and the name in messages. */
  repository?: string
}

export interface TransportDeps {
  settings: ResolvedSettings
  credentials: () => Promise<RegistryAuth | undefined>
  onRequest?: (event: RequestEvent) => void
}

const MAX_REDIRECTS = 5
const REDIRECTS = new Set([301, 302, 303, 307, 308])

export class RegistryTransport {
  readonly settings: ResolvedSettings
  /** Set when Docker Hub reports `ratelimit-remaining: 0`: manifest GETs would count as pulls and fail. */
  pullBudgetExhausted = false
  /** tags/list page size in use: starts at the setting, shrinks when the registry rejects it. */
  pageSize: number
  private readonly limiter: RegistryLimiter
  private readonly auth: Authenticator
  private readonly endpointHost: string
  private pinging: Promise<void> | undefined

  constructor(private readonly deps: TransportDeps) {
    this.settings = deps.settings
    this.pageSize = deps.settings.pageSize
    this.endpointHost = new URL(deps.settings.endpoint).host
    const limits = { maxConcurrency: deps.settings.maxConcurrency }
    this.limiter = new RegistryLimiter(
      deps.settings.rateLimit ? { ...limits, rateLimit: deps.settings.rateLimit } : limits,
    )
    this.auth = new Authenticator({
      settings: deps.settings,
      credentials: deps.credentials,
      sendToken: (request) => this.send('token', request),
    })
  }

  async request(request: RegistryRequest): Promise<HttpResponse> {
    if (request.kind === 'manifest' && request.method !== 'HEAD' && this.pullBudgetExhausted) {
      throw new RegistryError(
        `${this.settings.host} reported ratelimit-remaining 0: manifest requests stopped until its window resets`,
        { transient: true, status: 429 },
      )
    }
    if (request.kind !== 'ping') await this.ensureScheme()
    const { maxRetries, retryBaseMs, retryAfterCapMs } = this.settings
    let reauthenticated = false
    for (let attempt = 0; ; attempt++) {
      let response: HttpResponse
      try {
        response = await this.attempt(request)
      } catch (error) {
        if (!isTransient(error) || attempt >= maxRetries) throw error
        await sleep(backoffMs(attempt, retryBaseMs))
        continue
      }
      const { status } = response
      if (status === 429) {
        const wait = parseRetryAfter(header(response, 'retry-after')) ?? backoffMs(attempt, retryBaseMs)
        if (wait > retryAfterCapMs || attempt >= maxRetries) throw this.rateLimited(request, wait)
        this.limiter.pauseFor(wait)
        continue
      }
      if (status >= 500) {
        if (attempt >= maxRetries) throw this.statusError(request, response, true)
        await sleep(backoffMs(attempt, retryBaseMs))
        continue
      }
      if (request.kind === 'ping') return response
      if (status === 401 && !reauthenticated) {
        // The token may have expired or the registry may want auth only for this repository.
        reauthenticated = true
        this.auth.learn(response.headers['www-authenticate'])
        this.auth.invalidate(scopeOf(request))
        attempt--
        continue
      }
      if (status === 401 || status === 403) throw await this.authError(request, response)
      return response
    }
  }

  private statusError(request: RegistryRequest, response: HttpResponse, transient: boolean): RegistryError {
    return new RegistryError(
      `${request.kind} request ${redactUrl(request.url)} answered ${describeStatus(response.status, response.body)}`,
      { transient, status: response.status },
    )
  }

  private rateLimited(request: RegistryRequest, waitMs: number): RegistryError {
    return new RegistryError(
      `${this.settings.host} rate-limited the ${request.kind} request (HTTP 429, retry after ${Math.ceil(waitMs / 1000)} s); will retry on the next scan`,
      { transient: true, status: 429 },
    )
  }

  private async authError(request: RegistryRequest, response: HttpResponse): Promise<RegistryError> {
    const what = request.repository ?? this.settings.host
    const status = describeStatus(response.status, response.body)
    if (response.status === 403) {
      return new RegistryError(`access to ${what} denied (${status}); check the credentials' permissions`, {
        transient: false,
        status: 403,
      })
    }
    const hasCredentials = (await this.deps.credentials().catch(() => undefined)) !== undefined
    const advice = hasCredentials
      ? 'check the credentials for this registry, and that the repository exists'
      : 'the repository may be private or not exist; configure credentials for this registry'
    return new RegistryError(`${this.settings.host} refused access to ${what} (${status}); ${advice}`, {
      transient: false,
      status: 401,
    })
  }

  private ensureScheme(): Promise<void> {
    if (this.auth.knowsScheme) return Promise.resolve()
    if (!this.pinging) {
      const ping = this.ping()
      // A failed ping is retried by the next request instead of poisoning the registry for the run.
      ping.catch(() => {
        this.pinging = undefined
      })
      this.pinging = ping
    }
    return this.pinging
  }

  private async ping(): Promise<void> {
    const response = await this.request({ kind: 'ping', url: `${this.settings.endpoint}/v2/` })
    if (response.status === 200) this.auth.learn(undefined)
    else if (response.status === 401) this.auth.learn(response.headers['www-authenticate'])
    else {
      throw new RegistryError(
        `${this.settings.endpoint}/v2/ answered ${describeStatus(response.status)}; is this a registry endpoint?`,
        { transient: false, status: response.status },
      )
    }
  }

  private async attempt(request: RegistryRequest): Promise<HttpResponse> {
    const authorization = request.kind === 'ping' ? undefined : await this.auth.header(scopeOf(request))
    const headers: Record<string, string> = {}
    if (request.accept) headers.accept = request.accept
    if (authorization) headers.authorization = authorization
    const release = await this.limiter.acquire()
    try {
      return await this.followRedirects(request, headers)
    } finally {
      release()
    }
  }

  private async followRedirects(
    request: RegistryRequest,
    headers: Record<string, string>,
  ): Promise<HttpResponse> {
    const visited = new Set<string>()
    let url = request.url
    for (let hop = 0; ; hop++) {
      visited.add(url)
      const response = await this.send(request.kind, {
        url,
        method: request.method ?? 'GET',
        headers,
        timeoutMs: this.settings.timeoutMs,
      })
      this.noteBudget(response)
      const location = header(response, 'location')
      if (!REDIRECTS.has(response.status) || !location) return response
      const next = new URL(location, url)
      if (visited.has(next.href)) throw this.redirectError(request, 'loops back to a URL it already visited')
      if (hop + 1 >= MAX_REDIRECTS)
        throw this.redirectError(request, `redirects more than ${MAX_REDIRECTS} times`)
      if (next.host !== this.endpointHost) {
        // Blob downloads legitimately go to object storage; API calls never leave the registry.
        if (request.kind !== 'blob')
          throw this.redirectError(request, `redirects to another host (${next.host})`)
        delete headers.authorization
      }
      url = next.href
    }
  }

  private redirectError(request: RegistryRequest, detail: string): RegistryError {
    return new RegistryError(`${request.kind} request ${redactUrl(request.url)} ${detail}; not followed`, {
      transient: false,
    })
  }

  private noteBudget(response: HttpResponse): void {
    if (parseRemainingBudget(response.headers['ratelimit-remaining']) === 0) this.pullBudgetExhausted = true
  }

  private async send(kind: RequestKind, request: HttpRequest): Promise<HttpResponse> {
    try {
      const response = await sendOnce(request)
      const remaining = parseRemainingBudget(response.headers['ratelimit-remaining'])
      const event: RequestEvent = { registry: this.settings.host, kind, status: response.status }
      if (remaining !== undefined) event.rateLimitRemaining = remaining
      this.deps.onRequest?.(event)
      return response
    } catch (error) {
      this.deps.onRequest?.({ registry: this.settings.host, kind, status: 0 })
      throw this.withEndpoint(error)
    }
  }

  /** A request that got no answer names the endpoint it went to and where that came from in the config. */
  private withEndpoint(error: unknown): unknown {
    if (!(error instanceof RegistryError) || error.status !== undefined) return error
    const { endpoint, endpointOrigin } = this.settings
    const message = `${error.message} (${endpointOrigin}, ${redactUrl(endpoint)}; check that it is reachable)`
    return new RegistryError(message, { transient: error.transient })
  }
}

function scopeOf(request: RegistryRequest): string | undefined {
  return request.repository ? `repository:${request.repository}:pull` : undefined
}

function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name]
  return Array.isArray(value) ? value[0] : value
}
