// What the write-back stage is told about one config repository, validated once at open.
import { createHash } from 'node:crypto'
import { redactCredentials } from '../redact.js'
import { GitError } from './errors.js'

export interface GitRemoteSettings {
  /** http(s) clone URL. Credentials in it are moved to `auth` and never stored or logged. */
  url: string
  /** The branch to read and to build on. */
  branch: string
  /** Where the bot's commits go (PR flows); defaults to `branch`. */
  pushBranch?: string
  auth?: { username: string; password: string }
}

export interface Author {
  name: string
  email: string
}

export type PushOutcome =
  | { ok: true; commit: string; branch: string }
  | { ok: false; rejected: true; reason: string }

/** Settings after validation: a URL without credentials, safe to print. */
export interface ResolvedRemote {
  url: string
  branch: string
  pushBranch: string
  auth?: { username: string; password: string }
}

export function resolveRemote(settings: GitRemoteSettings): ResolvedRemote {
  const parsed = parseUrl(settings.url)
  const auth = settings.auth ?? credentialsFrom(parsed)
  parsed.username = ''
  parsed.password = ''
  const url = parsed.toString().replace(/\/+$/, '')
  const branch = checkBranch(settings.branch, 'branch', url)
  const pushBranch = checkBranch(settings.pushBranch ?? settings.branch, 'pushBranch', url)
  return auth ? { url, branch, pushBranch, auth } : { url, branch, pushBranch }
}

/** `host-repo-<hash>`: readable, filesystem-safe, distinct per URL and branch. */
export function checkoutDirName(remote: ResolvedRemote): string {
  const { hostname, port, pathname } = new URL(remote.url)
  const repo = pathname.split('/').filter(Boolean).pop() ?? 'repo'
  const hash = createHash('sha256').update(`${remote.url}#${remote.branch}`).digest('hex').slice(0, 12)
  const readable = `${hostname}${port ? `-${port}` : ''}-${repo}`
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 80)
  return `${readable}-${hash}`
}

/** The URL with any user/password part removed, for messages. Tolerates unparsable input. */
export const redactUrl = redactCredentials

function parseUrl(raw: string): URL {
  let parsed: URL
  try {
    parsed = new URL(raw)
  } catch {
    throw invalid(redactUrl(raw), `"${redactUrl(raw)}" is not a URL; use an http(s) clone URL`)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    const shown = redactUrl(raw)
    throw invalid(
      shown,
      `unsupported URL scheme "${parsed.protocol}" in ${shown}; imagebot speaks git over http(s) only`,
    )
  }
  return parsed
}

function credentialsFrom(parsed: URL): ResolvedRemote['auth'] {
  if (!parsed.username && !parsed.password) return undefined
  return { username: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) }
}

// A subset of git check-ref-format: what could make a ref name ambiguous or unsafe.
const BAD_REF = /(^[-/.])|(\.\.)|([\x00-\x20~^:?*[\\\x7f])|(@\{)|(\/\/)|(\.lock$)|([/.]$)|(\/\.)/

function checkBranch(name: string, key: string, url: string): string {
  const branch = name.startsWith('refs/heads/') ? name.slice('refs/heads/'.length) : name
  if (!branch || BAD_REF.test(branch)) {
    throw invalid(url, `invalid ${key} "${name}" for ${url}; use a plain branch name such as "main"`)
  }
  return branch
}

function invalid(url: string, message: string): GitError {
  return new GitError('config', message, { transient: false, url })
}
