// `imagebot reconcile | suspend | resume`: asks a running daemon over its /api (src/server/steering.ts).
// The answer is printed in one line; refusals (bad request, unknown repository, missing credentials) exit 2,
// an unreachable daemon or a server error exits 1.
import { UsageError } from './failure.js'
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from './output.js'

interface SteerFlags {
  server: string
  repo?: string
  image?: string
  token?: string
  user?: string
}

function authorization(flags: SteerFlags): string | undefined {
  const token = flags.token ?? process.env.IMAGEBOT_TOKEN
  if (flags.user !== undefined) {
    if (!flags.user.includes(':')) throw new UsageError('--user: expected user:password')
    return `Basic ${Buffer.from(flags.user).toString('base64')}`
  }
  return token ? `Bearer ${token}` : undefined
}

async function call(path: string, body: Record<string, string>, flags: SteerFlags): Promise<unknown> {
  let base: URL
  try {
    base = new URL(flags.server)
  } catch {
    throw new UsageError(
      `--server: expected the daemon's URL, e.g. http://127.0.0.1:8080, got ${flags.server}`,
    )
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  const auth = authorization(flags)
  if (auth) headers.authorization = auth
  let response: Response
  try {
    response = await fetch(new URL(path, base), { method: 'POST', headers, body: JSON.stringify(body) })
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    process.stderr.write(
      `imagebot: ${base.origin} not reachable: ${cause?.code ?? cause?.message ?? error}\n`,
    )
    process.exitCode = EXIT_PROBLEMS
    return undefined
  }
  const answer = (await response.json().catch(() => ({}))) as { error?: string }
  if (!response.ok) {
    process.stderr.write(`imagebot: ${response.status} ${answer.error ?? response.statusText}\n`)
    process.exitCode = response.status < 500 ? EXIT_USAGE : EXIT_PROBLEMS
    return undefined
  }
  process.exitCode = EXIT_OK
  return answer
}

function target(flags: SteerFlags): Record<string, string> {
  return { ...(flags.repo && { repo: flags.repo }), ...(flags.image && { image: flags.image }) }
}

export async function reconcile(_args: unknown[], flags: SteerFlags): Promise<void> {
  const answer = (await call('/api/reconcile', target(flags), flags)) as
    | { scans: string[]; updates: string[] }
    | undefined
  if (!answer) return
  process.stdout.write(
    `queued ${answer.scans.length} scan(s): ${answer.scans.join(', ') || '-'}\n` +
      `queued ${answer.updates.length} update(s): ${answer.updates.join(', ') || '-'}\n`,
  )
}

async function setSuspended(flags: SteerFlags, suspend: boolean): Promise<void> {
  if (!flags.repo) throw new UsageError('--repo <url> is required')
  const answer = (await call(suspend ? '/api/suspend' : '/api/resume', { repo: flags.repo }, flags)) as
    | { repo: string }
    | undefined
  if (answer) process.stdout.write(`${answer.repo}: ${suspend ? 'suspended' : 'resumed'}\n`)
}

export const suspend = (_args: unknown[], flags: SteerFlags) => setSuspended(flags, true)
export const resume = (_args: unknown[], flags: SteerFlags) => setSuspended(flags, false)
