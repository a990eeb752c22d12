// What a checkout knows of its remote branch without asking: its last sync, or its own last push there.

export interface SyncState {
  /** Head of `branch` on the server. */
  branchHead: string
  /** Head of `pushBranch` on the server, when it differs from `branch` and exists. */
  pushHead?: string
  /** The commit to read and build on (see push-base.ts). */
  base: string
}

export interface SyncOptions {
  /**
   * Trust the last sync (or this checkout's own last push) when it is at most this old, and ask the remote
   * nothing: only where the checkout pushes to the branch it reads, so that a commit built on a head that has
   * moved since is a rejected push, which reads and computes again (run/lanes.ts).
   */
  reuseWithinMs?: number
}

export class KnownHead {
  state: SyncState | undefined
  /** When `state` was learnt (Date.now()). */
  private learntAt = 0

  remember(state: SyncState): void {
    this.state = state
    this.learntAt = Date.now()
  }

  /** The commit to build on, when it was learnt at most `withinMs` ago. */
  recent(withinMs: number | undefined): string | undefined {
    if (withinMs === undefined || this.state === undefined) return undefined
    return Date.now() - this.learntAt <= withinMs ? this.state.base : undefined
  }
}
