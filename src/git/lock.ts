// A lock file beside a clone, so processes sharing a state directory (overlapping cron runs, several daemon
// roles on one machine) take turns at sync, commit and push instead of writing one clone at once. Within a
// process, ConfigRepoCheckout's queue already serializes; this is only the step between processes.
import { open, readFile, stat, unlink } from 'node:fs/promises'
import { GitError } from './errors.js'

export interface LockOptions {
  /** Give up (a transient error) after waiting this long; default 2 minutes. */
  timeoutMs?: number
  pollMs?: number
}

/** A lock file left empty for longer than this was abandoned between its creation and its pid being written. */
const EMPTY_LOCK_STALE_MS = 10_000

export async function withFileLock<T>(
  path: string,
  url: string,
  work: () => Promise<T>,
  options: LockOptions = {},
) {
  const release = await acquire(path, url, options)
  try {
    return await work()
  } finally {
    await release()
  }
}

async function acquire(path: string, url: string, options: LockOptions): Promise<() => Promise<void>> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000)
  for (;;) {
    try {
      const handle = await open(path, 'wx')
      await handle.writeFile(`${process.pid}\n`)
      await handle.close()
      return () => unlink(path).catch(() => undefined)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const holder = await lockHolder(path)
    if (holder === 'gone') {
      await unlink(path).catch(() => undefined)
      continue
    }
    if (Date.now() > deadline) {
      const message = `${url}: the local clone is busy in another imagebot process (pid ${holder}); the next run will try again, or give each process its own stateDir`
      throw new GitError('local', message, { transient: true, url })
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 25))
  }
}

/** The pid holding the lock, or 'gone' when the lock is stale. */
async function lockHolder(path: string): Promise<number | 'gone'> {
  const text = await readFile(path, 'utf8').catch(() => undefined)
  if (text === undefined) return 'gone'
  const pid = Number.parseInt(text, 10)
  if (!Number.isInteger(pid) || pid <= 0) {
    const age = await stat(path).then(
      (info) => Date.now() - info.mtimeMs,
      () => Number.POSITIVE_INFINITY,
    )
    return age > EMPTY_LOCK_STALE_MS ? 'gone' : 0
  }
  // Our own pid can only be a leftover of an earlier process that had the same pid (containers reuse pid 1):
  // this process never waits on a lock it holds, because its checkout queue runs one step at a time.
  return pid !== process.pid && isAlive(pid) ? pid : 'gone'
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
