// One HTTP attempt through got: no retries, no redirects, no status errors — the transport decides
// all of that. got failures become RegistryErrors whose text holds no URL query and no headers.
// got is the design's HTTP client; the CLI bundles it (scripts/bundle-cli.mjs), which halves its import
// cost at start-up (~140 → ~65 ms and 23 → 16 MB, measured against `node -e 0` on Node 20).
import type { IncomingHttpHeaders } from 'node:http'
import { got, RequestError, TimeoutError } from 'got'
import { RegistryError, redactUrl } from './errors.js'

export interface HttpRequest {
  url: string
  method: 'GET' | 'HEAD' | 'POST'
  headers: Record<string, string>
  body?: string
  timeoutMs: number
}

export interface HttpResponse {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
  /** The URL this response came from (after no redirects: the request URL). */
  url: string
}

const USER_AGENT = 'imagebot/0.1 (+https://github.com/imagebot)'

/**
 * The most of one answer kept, counted after decompression (so a small gzip bomb is stopped too). Nothing a
 * registry legitimately answers comes near it: a tag page of 1,000 tags is tens of KB, and registries limit
 * manifests to about 4 MiB (distribution, Pulp, ORAS). Without a cap, a broken proxy or a hostile endpoint
 * could grow one response until the daemon, and every repository it serves, ran out of memory.
 */
export const MAX_BODY_BYTES = 16 * 1024 * 1024

/**
 * The options every request shares, merged into got's defaults once: got.extend keeps them normalised, where
 * passing them on each call had got merge and validate them again (50 tag lists from a local registry, repeated:
 * 112–129 → 75–94 ms of CPU).
 */
const client = got.extend({
  headers: { 'user-agent': USER_AGENT },
  throwHttpErrors: false,
  followRedirect: false,
  retry: { limit: 0 },
})

/**
 * Through got's stream interface, the body gathered here: its promise interface adds a cancelable promise and
 * an async-iterator read of the same stream, about 0.35 ms of CPU per request on these machines (50 tag
 * lists in a fresh process, 15 runs each: median 125 → 107 ms).
 */
export function sendOnce(request: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const stream = client.stream(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      timeout: { request: request.timeoutMs },
    })
    const chunks: Buffer[] = []
    let received = 0
    let answer: { statusCode: number; headers: IncomingHttpHeaders } | undefined
    stream.once('response', (response: { statusCode: number; headers: IncomingHttpHeaders }) => {
      answer = response
    })
    stream.on('data', (chunk: Buffer) => {
      received += chunk.length
      if (received <= MAX_BODY_BYTES) return void chunks.push(chunk)
      chunks.length = 0
      stream.destroy()
      reject(tooLarge(request, answer?.statusCode))
    })
    stream.once('end', () => {
      if (!answer) return reject(transportError(request, undefined))
      const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)
      resolve({ status: answer.statusCode, headers: answer.headers, body, url: request.url })
    })
    // `on`, not `once`: a second error event with no listener would throw out of the process.
    stream.on('error', (error: unknown) => reject(transportError(request, error)))
    // A POST without a body waits for one in stream mode: there is none to write.
    if (request.body === undefined && request.method === 'POST') stream.end()
  })
}

/** The endpoint did answer (its status is kept), so the transport does not add "check that it is reachable". */
function tooLarge(request: HttpRequest, status: number | undefined): RegistryError {
  const limit = `${MAX_BODY_BYTES / 1024 / 1024} MiB`
  const http = status === undefined ? '' : ` (HTTP ${status})`
  return new RegistryError(
    `${request.method} ${redactUrl(request.url)} answered more than ${limit}${http}; not read further: no registry answer is that large, check the endpoint or the proxy before it`,
    status === undefined ? { transient: false } : { transient: false, status },
  )
}

function transportError(request: HttpRequest, error: unknown): RegistryError {
  const target = `${request.method} ${redactUrl(request.url)}`
  if (error instanceof TimeoutError) {
    return new RegistryError(`${target} timed out after ${request.timeoutMs} ms`, { transient: true })
  }
  const code = error instanceof RequestError ? error.code : undefined
  return new RegistryError(`${target} failed: ${describeCode(code)}`, { transient: true })
}

const CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset (body cut short or server closed the connection)',
  EPIPE: 'connection closed while sending',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed temporarily',
  ETIMEDOUT: 'timed out',
  ERR_BODY_PARSE_FAILURE: 'unreadable response body',
}

function describeCode(code: string | undefined): string {
  if (!code) return 'network error'
  return CODES[code] ?? `network error ${code.replace(/[^A-Z0-9_]/g, '')}`
}
