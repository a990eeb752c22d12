// A Docker token service for the real registry's `auth.token` mode: node:http on 127.0.0.1,
// issuing RS256 JWTs whose x5c certificate is the registry's rootcertbundle. Speaks the GET
// (Basic or anonymous) and the OAuth2 POST (password and refresh_token grants) flows.
// No vitest imports: benchmarks and the demo reuse this module.
import { execFile } from 'node:child_process'
import { createPrivateKey, randomUUID, sign, X509Certificate } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface TokenServerOptions {
  /** Directory for the key and certificate (the caller owns and removes it). */
  dir: string
  users: Record<string, string>
  /** Identity (refresh) tokens → user name, for the refresh_token grant. */
  refreshTokens?: Record<string, string>
  /** Whether requests without credentials get pull access. */
  anonymousPull?: boolean
  /** expires_in of issued tokens; default 300 s. */
  expiresIn?: number
}

export interface TokenServer {
  realm: string
  service: string
  issuer: string
  /** PEM certificate to configure as the registry's rootcertbundle. */
  certPath: string
  /** Token requests answered (any outcome). */
  readonly requests: number
  /** The next `count` tokens are already expired (the registry will refuse them): tests re-auth. */
  expireNextTokens(count: number): void
  stop(): Promise<void>
}

interface Grant {
  user: string | undefined
  ok: boolean
}

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const keyPath = join(options.dir, 'token.key')
  const certPath = join(options.dir, 'token.crt')
  await run('openssl', [
    ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2'],
    ...['-subj', '/CN=imagebot-test-token', '-keyout', keyPath, '-out', certPath],
  ])
  const key = createPrivateKey(await readFile(keyPath))
  const certDer = new X509Certificate(await readFile(certPath)).raw.toString('base64')
  const state = { requests: 0, expired: 0 }
  const service = 'imagebot-test-registry'
  const issuer = 'imagebot-test-issuer'
  const server = createServer((req, res) => {
    state.requests++
    handle(req, res).catch(() => reply(res, 500, { error: 'internal' }))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://token')
    if (url.pathname !== '/token') return reply(res, 404, { error: 'not found' })
    const params = req.method === 'POST' ? new URLSearchParams(await readBody(req)) : url.searchParams
    const grant = req.method === 'POST' ? checkForm(params) : checkBasic(req.headers.authorization)
    if (!grant.ok) return reply(res, 401, { error: 'invalid credentials' })
    const access = params.getAll('scope').flatMap((scope) => grantScope(scope, grant.user))
    // An expired token is backdated beyond the registry's 60 s leeway.
    const now = Math.floor(Date.now() / 1000) - (state.expired-- > 0 ? 3600 : 0)
    const expiresIn = options.expiresIn ?? 300
    const claims = {
      iss: issuer,
      sub: grant.user ?? '',
      aud: params.get('service') ?? service,
      exp: now + expiresIn,
    }
    const token = jwt({ ...claims, nbf: now - 10, iat: now, jti: randomUUID(), access })
    reply(res, 200, {
      token,
      access_token: token,
      expires_in: expiresIn,
      issued_at: new Date().toISOString(),
    })
  }

  function checkBasic(header: string | undefined): Grant {
    if (!header) return { user: undefined, ok: true }
    const [scheme, encoded] = header.split(' ')
    if (scheme?.toLowerCase() !== 'basic' || !encoded) return { user: undefined, ok: false }
    const decoded = Buffer.from(encoded, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    const user = decoded.slice(0, colon)
    return { user, ok: colon > 0 && options.users[user] === decoded.slice(colon + 1) }
  }

  function checkForm(params: URLSearchParams): Grant {
    if (params.get('grant_type') === 'refresh_token') {
      const user = options.refreshTokens?.[params.get('refresh_token') ?? '']
      return { user, ok: user !== undefined }
    }
    if (params.get('grant_type') === 'password') {
      const user = params.get('username') ?? ''
      return { user, ok: options.users[user] === params.get('password') }
    }
    return { user: undefined, ok: false }
  }

  /** Users get what they ask for; anonymous callers get pull when allowed, else nothing (as Docker Hub). */
  function grantScope(scope: string, user: string | undefined) {
    const [type, name, actions] = scope.split(':')
    if (type !== 'repository' || !name || !actions) return []
    const asked = actions.split(',')
    const granted = user ? asked : options.anonymousPull ? asked.filter((action) => action === 'pull') : []
    return [{ type, name, actions: granted }]
  }

  function jwt(claims: object): string {
    const header = { typ: 'JWT', alg: 'RS256', x5c: [certDer] }
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url')
    const input = `${encode(header)}.${encode(claims)}`
    return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certPath,
    get requests() {
      return state.requests
    },
    expireNextTokens: (count) => {
      state.expired = count
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function reply(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
