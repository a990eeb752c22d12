// Whether each config repository could be read: imagebot_config_repo_up and /status, after a discovery (all
// repositories) or an update (one). A repository that cannot be read (wrong credentials, unknown branch)
// shows up there with its error while the daemon keeps serving the others.
import type { WorkerContext } from './context.js'

export async function recordSyncState(ctx: WorkerContext, only?: string): Promise<void> {
  const states = ctx.handlers.syncState?.() ?? []
  const at = new Date()
  for (const { configRepo, error } of states) {
    if (only !== undefined && configRepo !== only) continue
    ctx.metrics.configRepoUp(configRepo, error === undefined)
    await ctx.status.recordSync(configRepo, error, at)
  }
}
