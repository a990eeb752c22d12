// The scheduler role: runs discovery, keeps one scan schedule per discovered image repository (at its
// interval), removes schedules of images no longer discovered, and queues an update for config
// repositories that are new or whose set of images changed (their targets may not be current yet).

import type { JobVerdict } from '../src/queue/backend.js'
import type { ScheduledImage } from '../src/queue/contract.js'
import type { WorkerContext } from './context.js'
import { recordSyncState } from './sync-state.js'

/** Merges duplicate entries of one image and drops entries with an unusable interval. */
export function normalizeDiscovery(
  images: ScheduledImage[],
  onInvalid: (image: string) => void,
): ScheduledImage[] {
  const byImage = new Map<string, ScheduledImage>()
  for (const entry of images) {
    if (!Number.isFinite(entry.intervalMs) || entry.intervalMs <= 0) {
      onInvalid(entry.image)
      continue
    }
    const seen = byImage.get(entry.image)
    byImage.set(
      entry.image,
      seen
        ? {
            image: entry.image,
            configRepos: [...new Set([...seen.configRepos, ...entry.configRepos])],
            intervalMs: Math.min(seen.intervalMs, entry.intervalMs),
          }
        : { ...entry, configRepos: [...new Set(entry.configRepos)] },
    )
  }
  return [...byImage.values()]
}

/** Config repo → its images, as a sorted string for comparing two discoveries. */
function imagesByRepo(images: ScheduledImage[]): Map<string, string> {
  const sets = new Map<string, string[]>()
  for (const { image, configRepos } of images) {
    for (const repo of configRepos) sets.set(repo, [...(sets.get(repo) ?? []), image])
  }
  return new Map([...sets].map(([repo, list]) => [repo, list.sort().join('\n')]))
}

export function reposToRefresh(previous: ScheduledImage[] | undefined, current: ScheduledImage[]): string[] {
  const before = imagesByRepo(previous ?? [])
  return [...imagesByRepo(current)]
    .filter(([repo, images]) => before.get(repo) !== images)
    .map(([repo]) => repo)
}

/**
 * What discovery remembers between runs: the last discovered images, to queue updates only for config repos
 * whose images changed. Forgetting it (after Redis lost its queues) makes the next run update every repo.
 */
export interface DiscoveryMemory {
  previous?: ScheduledImage[]
}

export function discoverProcessor(
  ctx: WorkerContext,
  memory: DiscoveryMemory = {},
): () => Promise<JobVerdict> {
  return async () => {
    const { backend, logger } = ctx
    const discovered = await ctx.handlers.discover()
    const images = normalizeDiscovery(discovered, (image) =>
      logger.warn({ image }, 'discovery returned an image without a positive interval; skipped'),
    )
    await ctx.status.recordDiscovery(images, new Date())
    await recordSyncState(ctx)
    const wanted = new Set(images.map((entry) => entry.image))
    for (const { image, intervalMs } of images) await backend.upsertSchedule(image, intervalMs)
    const stale = (await backend.listSchedules()).filter((schedule) => !wanted.has(schedule.image))
    for (const { image } of stale) await backend.removeSchedule(image)
    const refresh = reposToRefresh(memory.previous, images)
    for (const repo of refresh) await backend.enqueueUpdate(repo)
    memory.previous = images
    logger.info(
      { images: images.length, removedSchedules: stale.map((s) => s.image), refreshedRepos: refresh.length },
      'discovery done',
    )
    return undefined
  }
}
