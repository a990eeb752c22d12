// The Authorization header for one registry: nothing, Basic, or a Bearer token from the realm the
// registry's challenge names. Tokens are cached per realm+service+scope until shortly before
// `expires_in` (default 60 s), and concurrent requests for the same scope share one token fetch.
import { type Challenge, parseChallenge } from './challenge.js'
import { describeStatus, RegistryError } from './errors.js'
import type { HttpRequest, HttpResponse } from './http.js'
import type { RegistryAuth, ResolvedSettings } from './settings.js'

export interface AuthDeps {
  settings: ResolvedSettings
  credentials: () => Promise<RegistryAuth | undefined>
  /** Sends one token request (counted as kind 'token'). */
  sendToken: (request: HttpRequest) => Promise<HttpResponse>
  now?: () => number
}

interface CachedToken {
  token: string
  expiresAt: number
}

const DEFAULT_EXPIRES_IN_S = 60

export class Authenticator {
  private challenge: Challenge | undefined
  private learned = false
  private readonly tokens = new Map<string, CachedToken>()
  private readonly pending = new Map<string, Promise<string>>()
  private readonly now: () => number

  constructor(private readonly deps: AuthDeps) {
    this.now = deps.now ?? Date.now
  }

  /** Whether a ping (or a 401) has told us which scheme the registry wants. */
  get knowsScheme(): boolean {
    return this.learned
  }

  /** Records the scheme from a WWW-Authenticate header; undefined means no auth is needed. */
  learn(header: string | string[] | undefined): void {
    this.challenge = parseChallenge(header)
    this.learned = true
  }

  async header(scope: string | undefined): Promise<string | undefined> {
    const challenge = this.challenge
    if (!challenge) return undefined
    if (challenge.scheme === 'basic') return this.basicHeader()
    if (!scope) return undefined
    return `Bearer ${await this.token(challenge, scope)}`
  }

  /** Forgets the token for `scope` so the next header() fetches a fresh one (re-auth after a 401). */
  invalidate(scope: string | undefined): void {
    const challenge = this.challenge
    if (challenge?.scheme === 'bearer' && scope) this.tokens.delete(tokenKey(challenge, scope))
  }

  private async basicHeader(): Promise<string | undefined> {
    const credentials = await this.deps.credentials()
    if (!credentials) return undefined
    if ('identityToken' in credentials) {
      throw new RegistryError(
        `${this.deps.settings.host} asks for Basic auth, but only an identity token is configured; configure a username and password`,
        { transient: false },
      )
    }
    return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
  }

  private token(challenge: Challenge & { scheme: 'bearer' }, scope: string): Promise<string> {
    const key = tokenKey(challenge, scope)
    const cached = this.tokens.get(key)
    if (cached && cached.expiresAt > this.now()) return Promise.resolve(cached.token)
    let pending = this.pending.get(key)
    if (!pending) {
      pending = this.fetchToken(challenge, scope).then((fresh) => {
        this.tokens.set(key, fresh)
        return fresh.token
      })
      pending.then(
        () => this.pending.delete(key),
        () => this.pending.delete(key),
      )
      this.pending.set(key, pending)
    }
    return pending
  }

  private async fetchToken(challenge: Challenge & { scheme: 'bearer' }, scope: string): Promise<CachedToken> {
    const credentials = await this.deps.credentials()
    const realm = this.checkRealm(challenge.realm, credentials !== undefined)
    const params = new URLSearchParams()
    if (challenge.service) params.set('service', challenge.service)
    params.set('scope', scope)
    const request: HttpRequest = {
      url: '',
      method: 'GET',
      headers: {},
      timeoutMs: this.deps.settings.timeoutMs,
    }
    if (credentials && 'identityToken' in credentials) {
      // Identity tokens are OAuth2 refresh tokens (docker login to Docker Hub, ACR, …).
      params.set('grant_type', 'refresh_token')
      params.set('client_id', 'imagebot')
      params.set('refresh_token', credentials.identityToken)
      Object.assign(request, {
        url: realm.href,
        method: 'POST',
        body: params.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
    } else {
      realm.search = mergeQuery(realm.search, params)
      request.url = realm.href
      if (credentials) {
        const basic = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')
        request.headers.authorization = `Basic ${basic}`
      }
    }
    return this.readToken(await this.deps.sendToken(request), realm)
  }

  private checkRealm(realm: string, withCredentials: boolean): URL {
    const host = this.deps.settings.host
    let url: URL
    try {
      url = new URL(realm)
    } catch {
      throw new RegistryError(`${host} names an unparsable token realm`, { transient: false })
    }
    const endpointIsHttps = this.deps.settings.endpoint.startsWith('https:')
    if (withCredentials && endpointIsHttps && url.protocol !== 'https:') {
      throw new RegistryError(
        `${host} asks for credentials to be sent to a plain-http token realm (${url.host}); refusing`,
        { transient: false },
      )
    }
    return url
  }

  private readToken(response: HttpResponse, realm: URL): CachedToken {
    const where = `token service ${realm.host} for ${this.deps.settings.host}`
    if (response.status === 401 || response.status === 403) {
      throw new RegistryError(`${where} rejected the credentials (HTTP ${response.status}); check them`, {
        transient: false,
        status: response.status,
      })
    }
    if (response.status !== 200) {
      const transient = response.status >= 500 || response.status === 429
      throw new RegistryError(`${where} answered ${describeStatus(response.status, response.body)}`, {
        transient,
        status: response.status,
      })
    }
    let json: { token?: unknown; access_token?: unknown; expires_in?: unknown }
    try {
      json = JSON.parse(response.body.toString('utf8'))
    } catch {
      throw new RegistryError(`${where} returned a body that is not JSON`, { transient: false })
    }
    const token = typeof json.token === 'string' ? json.token : json.access_token
    if (typeof token !== 'string' || token === '') {
      throw new RegistryError(`${where} returned no token`, { transient: false })
    }
    const seconds =
      typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : DEFAULT_EXPIRES_IN_S
    // Renew a little early so a token does not expire between the check and the request.
    const margin = Math.min(10_000, seconds * 100)
    return { token, expiresAt: this.now() + seconds * 1000 - margin }
  }
}

function tokenKey(challenge: Challenge & { scheme: 'bearer' }, scope: string): string {
  return `${challenge.realm}\n${challenge.service ?? ''}\n${scope}`
}

function mergeQuery(search: string, params: URLSearchParams): string {
  const merged = new URLSearchParams(search)
  for (const [key, value] of params) merged.set(key, value)
  return merged.toString()
}
