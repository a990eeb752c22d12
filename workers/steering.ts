// What /api/reconcile, /api/suspend and /api/resume do, and what the page is built from. Orchestration
// only: a reconcile queues the same scan and update jobs a webhook or the schedule would.

import { redactCredentials } from '../src/redact.js'
import { metricsSummary } from '../src/server/page/metrics-summary.js'
import { buildPageModel, type PageExtras, parseFilter } from '../src/server/page/model.js'
import { renderPage } from '../src/server/page/render.js'
import type { StatusAnswer } from '../src/server/status-fallback.js'
import { type ReconcileAnswer, SteeringError, type SteeringTarget } from '../src/server/steering.js'
import { canonicalImages } from '../src/server/webhook-images.js'
import type { WorkerContext } from './context.js'

export interface SteeringOptions {
  /** The status snapshot as /status answers it: when Redis is down, the last one read, saying so. */
  readStatus: () => Promise<StatusAnswer>
  /** Configured repositories (the page shows their branch; reconcile and suspend accept only these). */
  repositories: { url: string; branch: string }[]
  hostAliases?: Record<string, string[]>
}

/** The configured (or seen) repository URL the request names, written with or without credentials. */
async function repositoryNamed(ctx: WorkerContext, options: SteeringOptions, given: string): Promise<string> {
  const snapshot = await ctx.status.snapshot()
  const known = new Set([
    ...options.repositories.map((r) => r.url),
    ...snapshot.configRepos.map((r) => r.configRepo),
    ...snapshot.images.flatMap((image) => image.configRepos),
  ])
  const wanted = redactCredentials(given)
  const match = [...known].find((url) => url === given || redactCredentials(url) === wanted)
  if (!match) throw new SteeringError(404, `${wanted} is not a configured repository`)
  return match
}

export async function reconcile(
  ctx: WorkerContext,
  options: SteeringOptions,
  target: SteeringTarget,
): Promise<ReconcileAnswer> {
  const { images } = await ctx.status.snapshot()
  let scans: string[]
  let updates: string[]
  if (target.image !== undefined) {
    const { keys } = canonicalImages([target.image], options.hostAliases)
    const image = images.find((entry) => keys.includes(entry.image))
    if (!image) throw new SteeringError(404, `no automated container uses the image ${target.image}`)
    scans = [image.image]
    updates = image.configRepos
  } else if (target.repo !== undefined) {
    const repo = await repositoryNamed(ctx, options, target.repo)
    scans = images.filter((image) => image.configRepos.includes(repo)).map((image) => image.image)
    updates = [repo]
  } else {
    await ctx.backend.requestDiscover()
    scans = images.map((image) => image.image)
    updates = [
      ...new Set([...options.repositories.map((r) => r.url), ...images.flatMap((i) => i.configRepos)]),
    ]
  }
  if (target.image !== undefined && target.repo !== undefined) {
    const repo = await repositoryNamed(ctx, options, target.repo)
    if (!updates.includes(repo))
      throw new SteeringError(404, `${redactCredentials(repo)} does not use ${target.image}`)
    updates = [repo]
  }
  // Scans first: a scan that finds a new tag queues the update itself; the update queued here also runs
  // when the tags did not change (a push that failed, a repository edited by hand).
  for (const image of scans) await ctx.backend.enqueueScan(image)
  for (const repo of updates) await ctx.backend.enqueueUpdate(repo)
  return { scans, updates: updates.map(redactCredentials) }
}

export async function setSuspended(
  ctx: WorkerContext,
  options: SteeringOptions,
  given: string,
  suspended: boolean,
): Promise<{ repo: string; suspended: boolean }> {
  const repo = await repositoryNamed(ctx, options, given)
  await ctx.suspension.set(repo, suspended)
  ctx.logger.info(
    { configRepo: redactCredentials(repo) },
    suspended ? 'repository suspended' : 'repository resumed',
  )
  return { repo: redactCredentials(repo), suspended }
}

export async function statusPage(
  ctx: WorkerContext,
  options: SteeringOptions,
  query: Record<string, unknown>,
): Promise<string> {
  const [{ redis, ...snapshot }, suspended, queue, summary] = await Promise.all([
    options.readStatus(),
    withinDeadline(ctx.suspension.list()),
    withinDeadline(ctx.backend.queueCounts()),
    metricsSummary(ctx.metrics.registry),
  ])
  const extras: PageExtras = {
    repositories: options.repositories,
    suspended: suspended ?? [],
    backend: ctx.backend.kind,
    ...summary,
    ...(queue && { queue }),
    ...(redis && !redis.reachable && { unreachable: redis.error ?? 'Redis is unreachable' }),
  }
  return renderPage(buildPageModel(snapshot, extras, parseFilter(query)))
}

/** Redis down must not hold the page: what does not come within the deadline is shown as unknown. */
async function withinDeadline<T>(work: Promise<T>, ms = 800): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms)
  })
  try {
    return await Promise.race([work, late])
  } catch {
    return undefined
  } finally {
    clearTimeout(timer)
  }
}
