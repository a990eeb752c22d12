// node:http fronts placed before the real registry (they proxy everything they do not handle):
// a request counter and a paginating front (distribution 2.8 ignores `n`/`last` and sends no Link,
// so pagination is tested here). Chain them by passing one front's url as the next upstream.
// No vitest imports: end-to-end tests and benchmarks reuse these.
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Front {
  url: string
  host: string
  stop(): Promise<void>
}

export type PathKind = 'ping' | 'tags' | 'manifest' | 'blob' | 'upload' | 'other'

/** What a registry API path is about, for counting and fault matching. */
export function pathKind(path: string): PathKind {
  const pathname = path.split('?')[0] ?? path
  if (pathname === '/v2/' || pathname === '/v2') return 'ping'
  if (pathname.endsWith('/tags/list')) return 'tags'
  if (pathname.includes('/manifests/')) return 'manifest'
  if (pathname.includes('/blobs/uploads')) return 'upload'
  if (pathname.includes('/blobs/')) return 'blob'
  return 'other'
}

/** Answers a request itself (returns true) or leaves it to the next handler / the proxy (false). */
export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | boolean

/** Starts a front: handlers run in order until one answers; unanswered requests are proxied. */
export async function startFront(upstream: string, ...handlers: Handler[]): Promise<Front> {
  const target = new URL(upstream)
  const server = createServer((req, res) => {
    answer(handlers, req, res)
      .then((handled) => {
        if (!handled) proxy(target, req, res)
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(502)
        res.end()
      })
  })
  return listen(server)
}

async function answer(handlers: Handler[], req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  for (const handler of handlers) if (await handler(req, res)) return true
  return false
}

export async function listen(server: Server): Promise<Front> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: `http://${host}`,
    host,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Forwards the request unchanged (Host included, so the registry's URLs point at the front). */
export function proxy(target: URL, req: IncomingMessage, res: ServerResponse): void {
  const outgoing = request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
    (upstream) => {
      res.writeHead(upstream.statusCode ?? 502, upstream.headers)
      upstream.pipe(res)
    },
  )
  outgoing.on('error', () => {
    if (!res.headersSent) res.writeHead(502)
    res.end()
  })
  req.pipe(outgoing)
}

/** Fetches a path from upstream in full (for fronts that rewrite responses). */
export function fetchUpstream(
  target: URL,
  req: IncomingMessage,
  path = req.url ?? '/',
): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: target.hostname, port: target.port, method: req.method, path, headers: req.headers },
      (upstream) => {
        const chunks: Buffer[] = []
        upstream.on('data', (chunk: Buffer) => chunks.push(chunk))
        upstream.on('end', () =>
          resolve({
            status: upstream.statusCode ?? 502,
            headers: upstream.headers,
            body: Buffer.concat(chunks),
          }),
        )
        upstream.on('error', reject)
      },
    )
    outgoing.on('error', reject)
    outgoing.end()
  })
}

export interface CountingFront extends Front {
  /** Requests by kind, all methods (a HEAD of a manifest counts as manifest). */
  readonly counts: Record<PathKind, number>
  /** Requests by HTTP method. */
  readonly methods: Record<string, number>
  total(): number
  reset(): void
}

/** Counts every request by kind and method; combine with other handlers in one front (one hop). */
export function countingHandler(): Handler & Omit<CountingFront, keyof Front> {
  const counts = emptyCounts()
  const methods: Record<string, number> = {}
  const handler = (req: IncomingMessage) => {
    counts[pathKind(req.url ?? '/')]++
    const method = req.method ?? 'GET'
    methods[method] = (methods[method] ?? 0) + 1
    return false
  }
  return Object.assign(handler, {
    counts,
    methods,
    total: () => Object.values(counts).reduce((sum, n) => sum + n, 0),
    reset: () => {
      Object.assign(counts, emptyCounts())
      for (const method of Object.keys(methods)) delete methods[method]
    },
  })
}

export async function startCountingFront(upstream: string, ...more: Handler[]): Promise<CountingFront> {
  const counter = countingHandler()
  const front = await startFront(upstream, counter, ...more)
  return {
    ...front,
    counts: counter.counts,
    methods: counter.methods,
    total: counter.total,
    reset: counter.reset,
  }
}

function emptyCounts(): Record<PathKind, number> {
  return { ping: 0, tags: 0, manifest: 0, blob: 0, upload: 0, other: 0 }
}

export interface PaginatingFrontOptions {
  /** Page size when the client sends no `n`; default 50. */
  defaultPageSize?: number
  /** A larger `n` is refused with `rejectStatus` (as Quay/ECR do); default: no limit. */
  maxPageSize?: number
  /** 400 (distribution PAGINATION_NUMBER_INVALID) or 405 (ECR); default 400. */
  rejectStatus?: 400 | 405
  /** Link form: relative (default), absolute (the Host asked for), or cross-host (`localhost` instead of 127.0.0.1). */
  link?: 'relative' | 'absolute' | 'cross-host'
}

/** Serves tags/list from upstream's full list, sorted, sliced by `n` and `last`, with Link headers. */
export function startPaginatingFront(upstream: string, options: PaginatingFrontOptions = {}): Promise<Front> {
  return startFront(upstream, paginatingHandler(upstream, options))
}

export function paginatingHandler(upstream: string, options: PaginatingFrontOptions = {}): Handler {
  const target = new URL(upstream)
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://front')
    if (req.method !== 'GET' || pathKind(url.pathname) !== 'tags') return false
    const n = Number(url.searchParams.get('n') ?? options.defaultPageSize ?? 50)
    if (options.maxPageSize !== undefined && n > options.maxPageSize) {
      const body = {
        errors: [{ code: 'PAGINATION_NUMBER_INVALID', message: 'invalid number of results requested' }],
      }
      res.writeHead(options.rejectStatus ?? 400, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
      return true
    }
    const full = await fetchUpstream(target, req, url.pathname)
    if (full.status !== 200) {
      res.writeHead(full.status, full.headers)
      res.end(full.body)
      return true
    }
    const parsed = JSON.parse(full.body.toString('utf8')) as { name: string; tags: string[] | null }
    const last = url.searchParams.get('last')
    const all = [...(parsed.tags ?? [])].sort().filter((tag) => last === null || tag > last)
    const page = all.slice(0, n)
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    // Absolute links use the Host the client asked for, as the registry does (fronts keep Host).
    const self = req.headers.host ?? target.host
    if (all.length > n && page.length > 0)
      headers.link = linkHeader(url.pathname, n, page.at(-1) ?? '', self, options)
    res.writeHead(200, headers)
    res.end(JSON.stringify({ name: parsed.name, tags: page }))
    return true
  }
}

function linkHeader(
  path: string,
  n: number,
  last: string,
  self: string,
  options: PaginatingFrontOptions,
): string {
  const relative = `${path}?n=${n}&last=${encodeURIComponent(last)}`
  const port = self.split(':')[1]
  const base =
    options.link === 'absolute'
      ? `http://${self}`
      : options.link === 'cross-host'
        ? `http://localhost:${port}`
        : ''
  return `<${base}${relative}>; rel="next"`
}
