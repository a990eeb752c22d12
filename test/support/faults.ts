// A fault-injecting front before the real registry: matching requests get an error status, a 429
// with Retry-After, a hang, garbage JSON, a cut-short body, a reset, a redirect loop, a custom
// body, an extra header, a tag list missing some tags or shaped as a bare array, for a number of
// times; everything else is proxied. No vitest imports: end-to-end tests reuse it.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { type Front, fetchUpstream, type PathKind, pathKind, startFront } from './fronts.js'

export type Fault =
  | { type: 'status'; status: number }
  | { type: '429'; retryAfter?: string }
  | { type: 'hang' }
  | { type: 'garbage' }
  | { type: 'truncate' }
  | { type: 'reset' }
  | { type: 'redirect-loop' }
  | { type: 'redirect'; location: string }
  /** Answers with this status and body instead of upstream's. */
  | { type: 'body'; status: number; body: string }
  /** Proxies upstream's response with an extra header (e.g. ratelimit-remaining). */
  | { type: 'header'; name: string; value: string }
  /** A tags/list answered from upstream's list without these tags, as if they were never pushed. */
  | { type: 'omit-tags'; tags: string[] }
  /** A tags/list answered with upstream's tags as a bare JSON array instead of `{name, tags}`. */
  | { type: 'bare-array' }

export interface FaultRule {
  /** Substring of the request path (e.g. the repository name); any when absent. */
  path?: string
  kind?: PathKind
  method?: string
  fault: Fault
  /** How many matching requests get the fault; default: all. */
  times?: number
}

export interface FaultFront extends Front {
  add(rule: FaultRule): void
  clear(): void
  /** Requests that got a fault. */
  readonly injected: number
}

export async function startFaultFront(upstream: string): Promise<FaultFront> {
  const target = new URL(upstream)
  const rules: { rule: FaultRule; left: number }[] = []
  const state = { injected: 0 }
  const front = await startFront(upstream, async (req, res) => {
    const path = req.url ?? '/'
    const active = rules.find(({ rule, left }) => left > 0 && matches(rule, req.method ?? 'GET', path))
    if (!active) return false
    active.left--
    state.injected++
    await inject(active.rule.fault, target, req, res)
    return true
  })
  return {
    ...front,
    add: (rule) => rules.push({ rule, left: rule.times ?? Number.POSITIVE_INFINITY }),
    clear: () => {
      rules.length = 0
    },
    get injected() {
      return state.injected
    },
  }
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  return (
    (rule.path === undefined || path.includes(rule.path)) &&
    (rule.kind === undefined || pathKind(path) === rule.kind) &&
    (rule.method === undefined || rule.method === method)
  )
}

async function inject(fault: Fault, target: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  switch (fault.type) {
    case 'status':
      return json(res, fault.status, { errors: [{ code: 'UNKNOWN', message: 'injected fault' }] })
    case '429':
      res.writeHead(429, { 'content-type': 'application/json', ...retryAfter(fault.retryAfter) })
      res.end(JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] }))
      return
    case 'hang':
      // Never answer; the front's stop() closes the connection.
      return
    case 'garbage':
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"tags": [ this is not json')
      return
    case 'truncate':
      return truncate(target, req, res)
    case 'reset':
      req.socket.destroy()
      return
    case 'redirect-loop': {
      // Alternates between two URLs of the same path, forever.
      const url = new URL(req.url ?? '/', 'http://front')
      if (url.searchParams.has('loop')) url.searchParams.delete('loop')
      else url.searchParams.set('loop', '1')
      res.writeHead(307, { location: url.pathname + url.search })
      res.end()
      return
    }
    case 'redirect':
      res.writeHead(307, { location: fault.location })
      res.end()
      return
    case 'body':
      res.writeHead(fault.status, { 'content-type': 'application/json' })
      res.end(fault.body)
      return
    case 'header': {
      const full = await fetchUpstream(target, req)
      const headers = { ...full.headers, [fault.name]: fault.value }
      delete headers['transfer-encoding']
      res.writeHead(full.status, headers)
      res.end(full.body)
      return
    }
    case 'omit-tags':
      return rewriteTagList(target, req, res, (list) => ({
        ...list,
        tags: (list.tags ?? []).filter((tag) => !fault.tags.includes(tag)),
      }))
    case 'bare-array':
      return rewriteTagList(target, req, res, (list) => list.tags ?? [])
  }
}

/** Upstream's tags/list, changed by `change`; Link headers and other headers are kept. */
async function rewriteTagList(
  target: URL,
  req: IncomingMessage,
  res: ServerResponse,
  change: (list: { name?: string; tags?: string[] | null }) => unknown,
): Promise<void> {
  const full = await fetchUpstream(target, req)
  const headers = { ...full.headers }
  delete headers['transfer-encoding']
  delete headers['content-length']
  res.writeHead(full.status, headers)
  res.end(full.status === 200 ? JSON.stringify(change(JSON.parse(full.body.toString('utf8')))) : full.body)
}

/** The real response's headers (with its full Content-Length) and half its body, then a reset. */
async function truncate(target: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const full = await fetchUpstream(target, req)
  const headers = { ...full.headers, 'content-length': String(full.body.length) }
  delete headers['transfer-encoding']
  res.writeHead(full.status, headers)
  res.write(full.body.subarray(0, Math.floor(full.body.length / 2)))
  setTimeout(() => req.socket.destroy(), 5)
}

function retryAfter(value: string | undefined): Record<string, string> {
  return value === undefined ? {} : { 'retry-after': value }
}

function json(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}
