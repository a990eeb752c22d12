// PR flows: which commit the bot builds on when it pushes to a branch other than the one it reads.
//   pushBranch absent or equal to branch head  → branch head (the push creates/advances it)
//   pushBranch contains branch head            → pushBranch head (stack on the bot's earlier commits)
//   pushBranch is behind branch (merged)       → branch head (the push is a fast-forward)
//   otherwise (diverged, e.g. squash-merged)   → permanent 'diverged' error: force is never used

import git from 'isomorphic-git'
import { GitError } from './errors.js'
import { fetchBranch, type ObjectCache, type RemoteAccess } from './remote.js'
import { syncFs as fs } from './sync-fs.js'

/** How far back the ancestry check looks; a push branch further away than this counts as diverged. */
export const PUSH_BRANCH_DEPTH = 50

export interface PushBaseContext {
  dir: string
  cache: ObjectCache
  access: RemoteAccess
}

export async function resolvePushBase(
  ctx: PushBaseContext,
  branchHead: string,
  pushHead?: string,
): Promise<string> {
  if (!pushHead || pushHead === branchHead) return branchHead
  const { branch, pushBranch, url } = ctx.access.remote
  // Usually the push branch holds the bot's own earlier commits, already here: no fetch needed to decide.
  if (await descendsFrom(ctx, pushHead, branchHead)) return pushHead
  await fetchBranch(ctx.dir, ctx.access, ctx.cache, pushBranch, PUSH_BRANCH_DEPTH)
  if (await descendsFrom(ctx, pushHead, branchHead)) return pushHead
  await fetchBranch(ctx.dir, ctx.access, ctx.cache, branch, PUSH_BRANCH_DEPTH)
  if (await descendsFrom(ctx, branchHead, pushHead)) return branchHead
  throw new GitError(
    'diverged',
    `push branch "${pushBranch}" of ${url} has diverged from "${branch}" (or is more than ` +
      `${PUSH_BRANCH_DEPTH} commits away); imagebot never force-pushes: merge "${branch}" into it or delete it ` +
      'so imagebot can recreate it',
    { transient: false, url },
  )
}

/** Whether `ancestor` is reachable from `oid` within the fetched (shallow) history. */
async function descendsFrom(ctx: PushBaseContext, oid: string, ancestor: string): Promise<boolean> {
  try {
    return await git.isDescendent({
      fs,
      dir: ctx.dir,
      oid,
      ancestor,
      depth: PUSH_BRANCH_DEPTH + 1,
      cache: ctx.cache,
    })
  } catch {
    // MaxDepthError or a parent beyond the shallow boundary: not provably a descendant.
    return false
  }
}
