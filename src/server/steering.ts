// The person-facing routes: the status page at `/`, and /api/reconcile, /api/suspend, /api/resume.
// With `server.auth` set, the page, /status and /api/* need it (webhooks keep their own secrets, probes and
// /metrics stay open). Without it, /api/* answers only loopback clients. Every /api call must send JSON: a
// browser cannot send that cross-site without a preflight we never answer, so no page can steer the bot.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Logger } from 'pino'
import { authorized, challenge, isLoopback, type ServerAuth } from './auth.js'

export interface SteeringTarget {
  repo?: string
  image?: string
}

export interface ReconcileAnswer {
  /** Image repositories queued for a scan. */
  scans: string[]
  /** Config repositories queued for an update. */
  updates: string[]
}

/** A request the daemon refuses (unknown repository or image): answered with this status and message. */
export class SteeringError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

export interface SteeringDeps {
  auth?: ServerAuth
  /** The page's HTML for this query string. */
  page: (query: Record<string, unknown>) => Promise<string>
  pageCsp: string
  reconcile: (target: SteeringTarget) => Promise<ReconcileAnswer>
  setSuspended: (repo: string, suspended: boolean) => Promise<{ repo: string; suspended: boolean }>
  logger: Logger
}

const PROTECTED = (url: string) =>
  url === '/' || url.startsWith('/?') || url.startsWith('/status') || url.startsWith('/api/')

/** Registers the auth hook and the routes; call before any other route so the hook covers them all. */
export function registerSteering(app: FastifyInstance, deps: SteeringDeps): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!PROTECTED(request.url)) return
    if (deps.auth) {
      if (authorized(request.headers.authorization, deps.auth)) return
      return reply
        .code(401)
        .header('www-authenticate', challenge(deps.auth))
        .send({ error: 'authorization required (server.auth)' })
    }
    if (request.url.startsWith('/api/') && !isLoopback(request.socket.remoteAddress)) {
      return reply
        .code(403)
        .send({ error: 'without server.auth, /api is served to loopback clients only; set server.auth' })
    }
  })

  app.get('/', async (request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', deps.pageCsp)
      .header('cache-control', 'no-store')
      .send(await deps.page(request.query as Record<string, unknown>)),
  )
  app.post('/api/reconcile', (request, reply) =>
    answer(request, reply, deps, async (target) => await deps.reconcile(target)),
  )
  for (const [path, suspended] of [
    ['/api/suspend', true],
    ['/api/resume', false],
  ] as const) {
    app.post(path, (request, reply) =>
      answer(request, reply, deps, async (target) => {
        if (!target.repo) throw new SteeringError(400, 'expected {"repo": "<config repository URL>"}')
        return await deps.setSuspended(target.repo, suspended)
      }),
    )
  }
}

async function answer(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: SteeringDeps,
  act: (target: SteeringTarget) => Promise<unknown>,
) {
  const parsed = steeringTarget(request)
  if (typeof parsed === 'string') return reply.code(400).send({ error: parsed })
  try {
    const result = await act(parsed)
    deps.logger.info({ route: request.routeOptions.url, ...parsed }, 'steering request done')
    return reply.code(200).send(result)
  } catch (error) {
    if (error instanceof SteeringError) return reply.code(error.status).send({ error: error.message })
    throw error
  }
}

/** The JSON body `{repo?, image?}`, or why it is refused. */
function steeringTarget(request: FastifyRequest): SteeringTarget | string {
  const type = String(request.headers['content-type'] ?? '')
  if (!/^application\/json\b/i.test(type)) return 'expected Content-Type: application/json'
  const text = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : ''
  let body: unknown
  try {
    body = text.trim() === '' ? {} : JSON.parse(text)
  } catch {
    return 'the body is not JSON'
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'expected a JSON object'
  const target: SteeringTarget = {}
  for (const [key, value] of Object.entries(body)) {
    if (key !== 'repo' && key !== 'image') return `unknown field "${key}": expected repo and/or image`
    if (typeof value !== 'string' || value === '') return `"${key}" must be a non-empty string`
    target[key] = value
  }
  return target
}
