// What the CLI says when a command throws: one line naming the thing at fault and what to do, never a stack
// trace for ordinary mistakes (a missing directory, an unreadable file, a port in use, a bad config). Only
// light modules are imported here: this file loads at every start.
import { ConfigError } from '../config/issues.js'
import { EXIT_PROBLEMS, EXIT_USAGE } from './output.js'

/** A mistake in how the command was called: printed as is, exit code 2. */
export class UsageError extends Error {}

/** Node's system errors (fs, net) carry a code, the syscall and usually the path or address. */
interface SystemError extends Error {
  code: string
  syscall?: string
  path?: string
  address?: string
  port?: number
}

const SYSTEM_HINTS: Record<string, string> = {
  ENOENT: 'does not exist',
  ENOTDIR: 'is not a directory',
  EISDIR: 'is a directory, expected a file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EADDRINUSE: 'address already in use: stop the other process or choose another --listen',
  EADDRNOTAVAIL: 'address not available on this machine: check --listen',
  EMFILE: 'too many open files: raise the limit (ulimit -n)',
}

export function reportFailure(error: unknown): void {
  if (error instanceof ConfigError || error instanceof UsageError) {
    process.stderr.write(`${error.message}\n`)
    process.exitCode = EXIT_USAGE
    return
  }
  process.exitCode = EXIT_PROBLEMS
  if (isSystemError(error) && SYSTEM_HINTS[error.code]) {
    process.stderr.write(`imagebot: ${systemSubject(error)}: ${SYSTEM_HINTS[error.code]}\n`)
    return
  }
  const message = error instanceof Error ? error.message : String(error)
  // Not an ordinary mistake: a bug or something unforeseen. The stack helps whoever reports it.
  const detail = error instanceof Error && process.env.IMAGEBOT_DEBUG ? `\n${error.stack}` : ''
  process.stderr.write(`imagebot: ${message}${detail}\n`)
  if (!detail) process.stderr.write('(set IMAGEBOT_DEBUG=1 to print the stack trace)\n')
}

function isSystemError(error: unknown): error is SystemError {
  return error instanceof Error && typeof (error as Partial<SystemError>).code === 'string'
}

function systemSubject(error: SystemError): string {
  if (error.path) return error.path
  if (error.address) return error.port === undefined ? error.address : `${error.address}:${error.port}`
  return error.syscall ?? error.code
}
