// The CGI side of the test git server: Basic auth check and git-http-backend with its response relayed.
import { spawn } from 'node:child_process'
import type { IncomingMessage, ServerResponse } from 'node:http'

const HTTP_BACKEND = '/usr/lib/git-core/git-http-backend'

/** The user name when the Basic credentials match, undefined otherwise. */
export function authorizedUser(
  req: IncomingMessage,
  auth: { username: string; password: string },
): string | undefined {
  const header = req.headers.authorization ?? ''
  if (!header.startsWith('Basic ')) return undefined
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8')
  return decoded === `${auth.username}:${auth.password}` ? auth.username : undefined
}

export function runBackend(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  baseEnv: NodeJS.ProcessEnv,
  user: string,
): void {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    REQUEST_METHOD: req.method ?? 'GET',
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    GIT_PROTOCOL: header(req, 'git-protocol'),
    HTTP_CONTENT_ENCODING: header(req, 'content-encoding'),
    REMOTE_USER: user,
    REMOTE_ADDR: '127.0.0.1',
  }
  if (req.headers['content-length'] !== undefined) env.CONTENT_LENGTH = req.headers['content-length']
  const child = spawn(HTTP_BACKEND, [], { env, stdio: ['pipe', 'pipe', 'ignore'] })
  req.pipe(child.stdin)
  child.stdin.on('error', () => {}) // the backend may exit before reading a rejected body
  child.on('error', () => {
    if (!res.headersSent) res.writeHead(500).end('git-http-backend failed to start\n')
  })
  relayCgiResponse(child.stdout, res)
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name]
  return Array.isArray(value) ? value.join(', ') : (value ?? '')
}

/** Parses the CGI header block (with its `Status:` line) and streams the rest as the body. */
function relayCgiResponse(stdout: NodeJS.ReadableStream, res: ServerResponse): void {
  let pending = Buffer.alloc(0)
  let headersDone = false
  stdout.on('data', (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk)
      return
    }
    pending = Buffer.concat([pending, chunk])
    const end = headerEnd(pending)
    if (!end) return
    headersDone = true
    writeCgiHead(res, pending.subarray(0, end.at).toString('latin1'))
    res.write(pending.subarray(end.at + end.length))
  })
  stdout.on('end', () => {
    if (!headersDone) res.writeHead(502).end('git-http-backend sent no headers\n')
    else res.end()
  })
}

function headerEnd(buffer: Buffer): { at: number; length: number } | undefined {
  const crlf = buffer.indexOf('\r\n\r\n')
  const lf = buffer.indexOf('\n\n')
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { at: crlf, length: 4 }
  return lf >= 0 ? { at: lf, length: 2 } : undefined
}

function writeCgiHead(res: ServerResponse, block: string): void {
  let status = 200
  const headers: Record<string, string> = {}
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const key = line.slice(0, colon).trim()
    const value = line.slice(colon + 1).trim()
    if (key.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500
    else headers[key] = value
  }
  res.writeHead(status, headers)
}
