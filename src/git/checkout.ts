// One config repository's local state: a shallow, checkout-free clone under the state dir that is synced, read
// from tree objects, committed to with low-level objects and pushed. A broken clone is deleted and re-cloned.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import git from 'isomorphic-git'
import { errorDetail, GitError, isRemoteFailure, scrub } from './errors.js'
import { KnownHead, type SyncOptions, type SyncState } from './known-head.js'
import { isAlive, withFileLock } from './lock.js'
import { resolvePushBase } from './push-base.js'
import { readTreeEntries } from './raw-tree.js'
import {
  cloneShallow,
  fetchBranch,
  listBranches,
  type ObjectCache,
  pushCommit,
  type RemoteAccess,
  recordHead,
  remoteAccess,
} from './remote.js'
import {
  type Author,
  checkoutDirName,
  type GitRemoteSettings,
  type PushOutcome,
  type ResolvedRemote,
  resolveRemote,
} from './settings.js'
import type { CommitSigner } from './signing.js'
import { syncFs as fs } from './sync-fs.js'
import { type ReadFilesOptions, type RepoFile, readFilesAt } from './tree-read.js'
import { writeFilesCommit } from './tree-write.js'

// Changes to the state dir go through syncFs, which then drops its cached directory listings.
const { mkdir, rename, rm } = fs.promises

export interface CheckoutOptions {
  /**
   * Every fetch adds a pack and every object read probes each pack, so a long-running daemon would slow down.
   * Past this many packs the next sync starts from a fresh clone (about a second for 5,000 files). Default 20.
   */
  maxPacks?: number
}

const DEFAULT_MAX_PACKS = 20

export class ConfigRepoCheckout {
  private readonly known = new KnownHead()
  private cache: ObjectCache = {}
  /** Files the screen rejected, by blob oid and path (see ReadFilesOptions.rejected). */
  private readonly screenedOut = new Set<string>()
  /** Set when reading or committing hit a local error: the next sync starts from a fresh clone. */
  private damaged = false
  /**
   * The local failure that last made this checkout start over from a fresh clone. The same failure again
   * is in the repository, not the clone (a tree entry isomorphic-git cannot handle, say): it is reported as
   * permanent and the clone is kept, so no run re-clones in a loop.
   */
  private recloneCause: string | undefined
  private queue: Promise<unknown> = Promise.resolve()

  private constructor(
    /** The clone's directory (a non-bare repository without a working tree). */
    readonly dir: string,
    private readonly access: RemoteAccess,
    private readonly maxPacks: number,
  ) {}

  static async open(
    stateDir: string,
    settings: GitRemoteSettings,
    options: CheckoutOptions = {},
  ): Promise<ConfigRepoCheckout> {
    const remote = resolveRemote(settings)
    await mkdir(stateDir, { recursive: true })
    const dir = join(stateDir, checkoutDirName(remote))
    await withFileLock(`${dir}.lock`, remote.url, async () => {
      await removeLeftoverClones(stateDir, dir)
      if ((await exists(dir)) && !(await looksLikeClone(dir))) await rm(dir, { recursive: true, force: true })
    })
    const checkout = new ConfigRepoCheckout(dir, remoteAccess(remote), options.maxPacks ?? DEFAULT_MAX_PACKS)
    // Kept beside the clone, so runs of separate processes (cron) do not re-clone in a loop either.
    checkout.recloneCause = await readFile(`${dir}.reclone-cause`, 'utf8').catch(() => undefined)
    return checkout
  }

  private async rememberRecloneCause(detail: string): Promise<void> {
    this.recloneCause = detail
    await writeFile(`${this.dir}.reclone-cause`, detail).catch(() => undefined)
  }

  /** The repository settings without credentials. */
  get remote(): Omit<ResolvedRemote, 'auth'> {
    const { url, branch, pushBranch } = this.access.remote
    return { url, branch, pushBranch }
  }

  /**
   * Brings the clone up to date (clone once, then depth-1 fetches) and returns the commit to build on: the
   * branch head, or the pushBranch head when it already holds the bot's earlier commits on top of branch.
   */
  sync(options: SyncOptions = {}): Promise<string> {
    return this.exclusive(async () => {
      const { branch, pushBranch } = this.access.remote
      const recent =
        branch === pushBranch && !this.damaged ? this.known.recent(options.reuseWithinMs) : undefined
      if (recent !== undefined) return recent
      if (this.damaged) await this.discardClone()
      const hadClone = await exists(this.dir)
      try {
        return await this.syncOnce()
      } catch (error) {
        if (!hadClone || isRemoteFailure(error)) throw this.access.fail(error, 'syncing')
        const repeated = this.repeatedFailure(error, 'syncing')
        if (repeated) throw repeated
        await this.rememberRecloneCause(this.detailOf(error))
      }
      // Something local is broken (e.g. a fetch killed half way): start over from a fresh clone.
      await this.discardClone()
      try {
        return await this.syncOnce()
      } catch (error) {
        throw this.access.fail(error, 'syncing')
      }
    })
  }

  /** Files under `prefixes` at `commit`, decoded only when `screen` lets them through. */
  async readFiles(commit: string, options: ReadFilesOptions = {}): Promise<RepoFile[]> {
    try {
      return await readFilesAt(this.dir, this.cache, commit, { rejected: this.screenedOut, ...options })
    } catch (error) {
      throw this.localFailure(error, `reading commit ${commit} of`)
    }
  }

  /** A commit on `parent` with `files` (path → full new text), signed when a signer is given; null when nothing
   * would change. Not pushed. */
  commitFiles(
    parent: string,
    files: Map<string, string>,
    author: Author,
    message: string,
    signer?: CommitSigner,
  ): Promise<string | null> {
    return this.exclusive(async () => {
      const ctx = { dir: this.dir, cache: this.cache, url: this.access.remote.url }
      try {
        return await writeFilesCommit(ctx, parent, files, author, message, signer)
      } catch (error) {
        throw this.localFailure(error, 'committing to')
      }
    })
  }

  /** Pushes `commit` to pushBranch (never forced). A moved branch or a declined hook is `{ok:false, rejected}`. */
  push(commit: string): Promise<PushOutcome> {
    return this.exclusive(async () => {
      const { branch, pushBranch } = this.access.remote
      const serverHead = branch === pushBranch ? this.known.state?.branchHead : this.known.state?.pushHead
      const outcome = await pushCommit(this.dir, this.access, this.cache, commit, pushBranch, serverHead)
      // The branch is where this push put it: the next run may build on that without asking.
      if (outcome.ok && branch === pushBranch) this.known.remember({ branchHead: commit, base: commit })
      return outcome
    })
  }

  /** Set by each successful sync, and by a push to the branch it read. */
  get lastSync(): SyncState | undefined {
    return this.known.state
  }

  private async syncOnce(): Promise<string> {
    const { branch, pushBranch, url } = this.access.remote
    const heads = await listBranches(this.access)
    const listedHead = heads.get(branch)
    if (!listedHead) {
      const message = `branch "${branch}" does not exist in ${url}; check the configured branch`
      throw new GitError('not-found', message, { transient: false, url })
    }
    this.cache = {} // new packs may arrive; drop parsed indexes of the old ones
    if ((await packCount(this.dir)) > this.maxPacks) await this.discardClone()
    if (!(await exists(this.dir))) await this.cloneFresh()
    let branchHead = listedHead
    if (await this.hasCommit(listedHead)) await recordHead(this.dir, branch, listedHead)
    else branchHead = await fetchBranch(this.dir, this.access, this.cache, branch, 1)
    await this.verify(branchHead)
    const pushHead = pushBranch === branch ? undefined : heads.get(pushBranch)
    const base = await resolvePushBase(
      { dir: this.dir, cache: this.cache, access: this.access },
      branchHead,
      pushHead,
    )
    if (base !== branchHead) await this.verify(base)
    this.known.remember(pushHead ? { branchHead, pushHead, base } : { branchHead, base })
    return base
  }

  /** A local read/write failure means a damaged clone (or an unknown commit): re-clone on the next sync. */
  private localFailure(error: unknown, action: string): GitError {
    if (error instanceof GitError) return error
    const repeated = this.repeatedFailure(error, action)
    if (repeated) return repeated
    this.damaged = true
    const detail = this.detailOf(error)
    void this.rememberRecloneCause(detail)
    const { url } = this.access.remote
    const message = `${action} ${url}: the local clone in ${this.dir} failed (${detail}); it will be re-cloned on the next sync`
    return new GitError('local', message, { transient: true, url, cause: new Error(detail) })
  }

  private detailOf(error: unknown): string {
    return scrub(errorDetail(error), this.access.secrets)
  }

  /** The permanent error for a local failure identical to the one the last fresh clone was made for. */
  private repeatedFailure(error: unknown, action: string): GitError | undefined {
    const detail = this.detailOf(error)
    if (this.recloneCause !== detail) return undefined
    const { url } = this.access.remote
    const message = `${action} ${url}: ${detail}; the same error came back after a fresh clone, so it is in the repository: reported, not re-cloned again`
    return new GitError('local', message, { transient: false, url, cause: new Error(detail) })
  }

  private async discardClone(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true })
    this.damaged = false
  }

  /** Clones into a temporary sibling and renames it into place, so a killed clone never looks complete. */
  private async cloneFresh(): Promise<void> {
    const temp = `${this.dir}.tmp-${process.pid}-${Date.now()}`
    try {
      await cloneShallow(temp, this.access, this.cache)
      await rename(temp, this.dir)
    } finally {
      await rm(temp, { recursive: true, force: true })
    }
  }

  /** Whether the object is present; a damaged object store throws instead (handled by sync as local breakage). */
  private async hasCommit(oid: string): Promise<boolean> {
    try {
      await git.readCommit({ fs, dir: this.dir, oid, cache: this.cache })
      return true
    } catch (error) {
      if ((error as { code?: string }).code === 'NotFoundError') return false
      throw error
    }
  }

  /** Reads the commit and its root tree, so a damaged clone is noticed at sync rather than mid-run. */
  private async verify(oid: string): Promise<void> {
    const { commit } = await git.readCommit({ fs, dir: this.dir, oid, cache: this.cache })
    await readTreeEntries(this.dir, this.cache, commit.tree)
  }

  /** Serialises operations that write to the clone (one sync/commit/push at a time per checkout). */
  /** One step at a time on this clone: queued within the process, and behind a lock file between processes. */
  private exclusive<T>(step: () => Promise<T>): Promise<T> {
    const work = () => withFileLock(`${this.dir}.lock`, this.access.remote.url, step)
    const run = this.queue.then(work, work)
    this.queue = run.catch(() => undefined)
    return run
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}

async function packCount(dir: string): Promise<number> {
  const names = await readdir(join(dir, '.git', 'objects', 'pack')).catch(() => [])
  return names.filter((name) => name.endsWith('.pack')).length
}

async function looksLikeClone(dir: string): Promise<boolean> {
  try {
    await git.resolveRef({ fs, dir, ref: 'HEAD' })
    return (await stat(join(dir, '.git', 'objects'))).isDirectory()
  } catch {
    return false
  }
}

/** Temporary clones of a process that was killed mid-clone. */
async function removeLeftoverClones(stateDir: string, dir: string): Promise<void> {
  const prefix = `${dir.slice(stateDir.length + 1)}.tmp-`
  for (const name of await readdir(stateDir)) {
    if (!name.startsWith(prefix)) continue
    // A temporary clone of a live process is its clone in progress; only a dead process's is left over.
    const pid = Number.parseInt(name.slice(prefix.length), 10)
    if (pid !== process.pid && isAlive(pid)) continue
    await rm(join(stateDir, name), { recursive: true, force: true })
  }
}
