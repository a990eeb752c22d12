// The one place where git failures are classified: transient (retry later) or permanent (report, needs a human).
// Messages name the repository URL (never its credentials) and say what to do.
import type { Problem } from '../problems.js'

export type GitErrorKind =
  | 'auth' // 401/403: credentials missing or wrong
  | 'not-found' // repository or branch does not exist
  | 'network' // connection refused/reset, DNS, timeouts
  | 'server' // 5xx, 429, 408, garbled replies
  | 'protocol' // not a smart-HTTP git server
  | 'diverged' // pushBranch holds commits that branch lacks and vice versa
  | 'config' // bad settings or input (URL, branch name, file path)
  | 'local' // the local clone failed to read or write (re-cloned on the next sync)
  | 'internal' // anything else, including a local clone that stays broken after a re-clone

export class GitError extends Error implements Problem {
  readonly code = 'GIT' as const
  readonly kind: GitErrorKind
  readonly transient: boolean
  /** The repository URL without credentials. */
  readonly url: string

  constructor(
    kind: GitErrorKind,
    message: string,
    options: { transient: boolean; url: string; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'GitError'
    this.kind = kind
    this.transient = options.transient
    this.url = options.url
  }

  toProblem(): Problem {
    return { code: 'GIT', message: this.message, transient: this.transient }
  }
}

export interface ErrorContext {
  /** Repository URL without credentials. */
  url: string
  /** What was being done, e.g. "fetching branch main from". */
  action: string
  /** Strings that must never appear in a message (password, encoded credentials). */
  secrets: string[]
  authConfigured: boolean
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_SOCKET',
])

interface ErrorShape {
  code?: string
  message?: string
  data?: { statusCode?: number; statusMessage?: string }
}

/** True for failures that say nothing about the local clone (so re-cloning would not help). */
export function isRemoteFailure(error: unknown): boolean {
  const { code } = (error ?? {}) as ErrorShape
  return (
    error instanceof GitError ||
    code === 'HttpError' ||
    code === 'SmartHttpError' ||
    code === 'RemoteCapabilityError' ||
    (code !== undefined && NETWORK_CODES.has(code))
  )
}

export function classifyGitError(error: unknown, context: ErrorContext): GitError {
  if (error instanceof GitError) return error
  const shape = (error ?? {}) as ErrorShape
  const where = `${context.action} ${context.url}`
  const detail = scrub(errorDetail(error), context.secrets)
  const make = (kind: GitErrorKind, transient: boolean, message: string) =>
    new GitError(kind, message, { transient, url: context.url, cause: scrubbedCause(detail) })

  if (shape.code === 'HttpError') return fromHttpStatus(shape.data?.statusCode ?? 0, where, context, make)
  if (shape.code && NETWORK_CODES.has(shape.code)) {
    return make('network', true, `${where}: cannot reach the server (${shape.code}); will retry`)
  }
  if (shape.code === 'SmartHttpError') {
    return make(
      'protocol',
      false,
      `${where}: the server did not answer as a git smart-HTTP server; check the URL`,
    )
  }
  if (shape.code === 'GitPushError') {
    return make(
      'server',
      true,
      `${where}: the server failed to store the pushed objects (${detail}); will retry`,
    )
  }
  if (shape.code === 'RemoteCapabilityError') {
    return make('protocol', false, `${where}: the server lacks a needed git capability (${detail})`)
  }
  return make('internal', false, `${where}: ${detail}`)
}

function fromHttpStatus(
  status: number,
  where: string,
  context: ErrorContext,
  make: (kind: GitErrorKind, transient: boolean, message: string) => GitError,
): GitError {
  if (status === 401 || status === 403) {
    const hint = context.authConfigured
      ? 'the configured credentials were refused; check the username and password/token and their access'
      : 'the server requires credentials; configure a username and password/token for this repository'
    return make('auth', false, `${where}: authentication failed (HTTP ${status}); ${hint}`)
  }
  if (status === 404) {
    return make(
      'not-found',
      false,
      `${where}: repository not found (HTTP 404); check the URL and access rights`,
    )
  }
  if (status === 408 || status === 429 || status >= 500) {
    return make('server', true, `${where}: server error (HTTP ${status}); will retry`)
  }
  return make('server', false, `${where}: unexpected HTTP ${status} from the git server`)
}

/** The informative part of a library error (isomorphic-git's InternalError wraps it in a long preamble). */
export function errorDetail(error: unknown): string {
  const shape = (error ?? {}) as ErrorShape & { data?: { message?: unknown } }
  if (typeof shape.data?.message === 'string') return shape.data.message
  return String(shape.message ?? error)
}

/** Removes secrets and any user:password@ part from text that came from a library. */
export function scrub(text: string, secrets: string[]): string {
  let clean = text.replace(/\/\/[^/\s@]*@/g, '//')
  for (const secret of secrets) {
    if (secret) clean = clean.split(secret).join('***')
  }
  return clean
}

function scrubbedCause(detail: string): Error {
  return new Error(detail)
}
