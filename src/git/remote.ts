// Network operations through isomorphic-git: list refs, shallow clone/fetch, push. Credentials travel only in
// request headers; failures are classified by errors.ts.

import git from 'isomorphic-git'
import http from 'isomorphic-git/http/node'
import { classifyGitError, type GitError } from './errors.js'
import { pushAddedObjects, pushOnKnownHead } from './raw-push.js'
import type { PushOutcome, ResolvedRemote } from './settings.js'
import { syncFs as fs } from './sync-fs.js'

/** isomorphic-git's object cache: keeps parsed pack indexes between calls (a large speed-up). */
export type ObjectCache = Record<string, unknown>

export interface RemoteAccess {
  readonly remote: ResolvedRemote
  readonly secrets: string[]
  headers(): Record<string, string>
  fail(error: unknown, action: string): GitError
}

export function remoteAccess(remote: ResolvedRemote): RemoteAccess {
  const { auth } = remote
  const basic = auth ? Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64') : ''
  const secrets = auth
    ? [auth.password, encodeURIComponent(auth.password), basic].filter((s) => s.length > 0)
    : []
  return {
    remote,
    secrets,
    // Sent up front (as git does after its first 401) so each operation costs no extra round trip.
    headers: (): Record<string, string> => (basic ? { Authorization: `Basic ${basic}` } : {}),
    fail: (error, action) =>
      classifyGitError(error, { url: remote.url, action, secrets, authConfigured: auth !== undefined }),
  }
}

/** Branch heads on the server: refs/heads/<name> → oid. */
export async function listBranches(access: RemoteAccess): Promise<Map<string, string>> {
  try {
    const refs = await git.listServerRefs({
      http,
      url: access.remote.url,
      prefix: 'refs/heads/',
      headers: access.headers(),
      protocolVersion: 2,
    })
    return new Map(refs.map((ref) => [ref.ref.slice('refs/heads/'.length), ref.oid]))
  } catch (error) {
    throw access.fail(error, 'listing branches of')
  }
}

export async function cloneShallow(dir: string, access: RemoteAccess, cache: ObjectCache): Promise<void> {
  const { url, branch } = access.remote
  try {
    await git.clone({
      fs,
      http,
      dir,
      url,
      ref: branch,
      singleBranch: true,
      depth: 1,
      noCheckout: true,
      noTags: true,
      headers: access.headers(),
      cache,
    })
  } catch (error) {
    throw access.fail(error, `cloning branch ${branch} of`)
  }
}

/** Fetches `branch` to `depth` commits and records its head as the local refs/heads/<branch>. */
export async function fetchBranch(
  dir: string,
  access: RemoteAccess,
  cache: ObjectCache,
  branch: string,
  depth: number,
): Promise<string> {
  let head: string | null
  try {
    const result = await git.fetch({
      fs,
      http,
      dir,
      url: access.remote.url,
      ref: branch,
      remoteRef: `refs/heads/${branch}`,
      singleBranch: true,
      depth,
      tags: false,
      headers: access.headers(),
      cache,
    })
    head = result.fetchHead
  } catch (error) {
    throw access.fail(error, `fetching branch ${branch} from`)
  }
  if (!head) throw access.fail(new Error(`branch ${branch} is empty on the server`), 'fetching from')
  await recordHead(dir, branch, head)
  return head
}

/** Local refs/heads/<branch> mirrors the last known server head, so the next fetch can announce it as a "have". */
export async function recordHead(dir: string, branch: string, oid: string): Promise<void> {
  await git.writeRef({ fs, dir, ref: `refs/heads/${branch}`, value: oid, force: true })
}

/**
 * Pushes one commit to refs/heads/<branch>, never forced. A moved branch or a declined hook is `rejected`.
 * With `knownHead` (the branch's head on the server as this checkout last saw it) a commit built on it goes
 * in one request, checked by the server's compare-and-swap instead of a ref listing first (raw-push.ts).
 */
export async function pushCommit(
  dir: string,
  access: RemoteAccess,
  cache: ObjectCache,
  commit: string,
  branch: string,
  knownHead?: string,
): Promise<PushOutcome> {
  const ref = `refs/heads/${branch}`
  const direct = knownHead
    ? await pushOnKnownHead({ dir, access, cache, commit, branch, knownHead }).catch((raw: unknown) => {
        throw access.fail(raw, `pushing to branch ${branch} of`)
      })
    : undefined
  if (direct) {
    if (direct.ok) await recordHead(dir, branch, commit)
    return direct
  }
  try {
    await git.push({
      fs,
      http,
      dir,
      url: access.remote.url,
      ref: commit,
      remoteRef: ref,
      force: false,
      headers: access.headers(),
      cache,
    })
  } catch (error) {
    const refused = rejection(error, branch, ref)
    if (refused) return refused
    if ((error as { code?: string }).code !== 'UnsafeFilepathError')
      throw access.fail(error, `pushing to branch ${branch} of`)
    // Some tree holds a name isomorphic-git refuses (e.g. `a\b.md`): send just the objects the commit adds.
    const outcome = await pushAddedObjects({ dir, access, cache, commit, branch }).catch((raw: unknown) => {
      throw access.fail(raw, `pushing to branch ${branch} of`)
    })
    if (!outcome.ok) return outcome
  }
  await recordHead(dir, branch, commit)
  return { ok: true, commit, branch }
}

interface PushErrorShape {
  code?: string
  data?: {
    reason?: string
    result?: { ok?: boolean; error?: string; refs?: Record<string, { ok?: boolean; error?: string }> }
  }
}

/** The two shapes of a refused update: client-side PushRejectedError and the server's per-ref GitPushError. */
function rejection(error: unknown, branch: string, ref: string): PushOutcome | undefined {
  const { code, data } = (error ?? {}) as PushErrorShape
  if (code === 'PushRejectedError') {
    const why =
      data?.reason === 'not-fast-forward' ? 'not a fast-forward: the branch moved' : String(data?.reason)
    return { ok: false, rejected: true, reason: `push to ${branch} rejected (${why})` }
  }
  if (code !== 'GitPushError' || data?.result?.ok === false) return undefined
  const refError = data?.result?.refs?.[ref]?.error ?? 'rejected'
  return { ok: false, rejected: true, reason: `push to ${branch} rejected by the server (${refError})` }
}
