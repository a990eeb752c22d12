// One error type for everything that goes wrong talking to a registry, classified once:
// transient (429, 5xx, timeouts, connection failures: retry later) or permanent (auth, not
// found, bad payloads: report). Messages are built here from safe parts only, never from got
// errors, whose text and options can carry URLs with signatures and Authorization headers.
import type { Problem } from '../problems.js'

export class RegistryError extends Error {
  readonly transient: boolean
  readonly status: number | undefined

  constructor(message: string, opts: { transient: boolean; status?: number }) {
    super(message)
    this.name = 'RegistryError'
    this.transient = opts.transient
    this.status = opts.status
  }
}

/** scheme://host/path without query, fragment or userinfo: presigned storage URLs carry secrets. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`
  } catch {
    return '(unparsable URL)'
  }
}

/** Transient unless it is a known permanent registry failure; unknown bugs must not be retried forever. */
export function isTransient(error: unknown): boolean {
  return error instanceof RegistryError ? error.transient : false
}

export function errorMessage(error: unknown): string {
  if (error instanceof RegistryError) return error.message
  // Anything else is a bug or a library error whose text we do not control: keep only its type.
  const name = error instanceof Error ? error.name : typeof error
  return `internal error (${name}) while talking to the registry`
}

export function registryProblem(image: string, message: string, transient: boolean): Problem {
  return { code: 'REGISTRY', image, message, transient }
}

export function toProblem(image: string, context: string, error: unknown): Problem {
  return registryProblem(image, `${image}: ${context}: ${errorMessage(error)}`, isTransient(error))
}

/** A short text for an HTTP status, with the registry's error code when the body has one. */
export function describeStatus(status: number, body?: Buffer): string {
  const code = body ? registryErrorCode(body) : undefined
  return code ? `HTTP ${status} ${code}` : `HTTP ${status}`
}

function registryErrorCode(body: Buffer): string | undefined {
  if (body.length === 0 || body.length > 64 * 1024) return undefined
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: { code?: unknown }[] }
    const code = parsed.errors?.[0]?.code
    return typeof code === 'string' && /^[A-Z_]{1,64}$/.test(code) ? code : undefined
  } catch {
    return undefined
  }
}
