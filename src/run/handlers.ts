// The pipeline behind the daemon (PipelineHandlers of src/queue/contract.ts). discover() reads every config
// repository; scan() observes one image and says which config repositories would move; update() runs the
// one-shot pipeline on one config repository. Each process keeps its own clones and its own view of targets.
import { buildCommitMessage } from '../commit/index.js'
import type { ImagebotConfig, RepositoryConfig } from '../config/index.js'
import type { SyncOptions } from '../git/index.js'
import { repositoryKey } from '../image/reference.js'
import type {
  ConfigRepoSync,
  PipelineHandlers,
  ScanOutcome,
  ScheduledImage,
  UpdateOutcome,
} from '../queue/contract.js'
import type { RegistryClient } from '../registry/client.js'
import { normalizeHost } from '../registry/settings.js'
import { markStage } from '../stage-timing.js'
import type { Target } from '../types.js'
import { discoverAll as discoverFiles } from './discover.js'
import { type Listings, runObserver } from './observer.js'
import { openCheckout, repositorySettings, runConfigRepository } from './once.js'
import { attachPolicies, decideTarget, observationRequests } from './policed.js'
import { repositoryOutcome } from './report.js'
import { messageOptions, readHead } from './repository.js'
import { ScanMemory } from './scan-memory.js'

/**
 * Quick re-scans after a partial failure, doubling from the first delay, before the schedule takes over.
 * The common case is distribution's own race: it notifies and lists a tag before the tag's link file holds
 * the digest (the manifest GET answers 404 for a few milliseconds). Measured with the pipeline bench, a first
 * look after 200 ms was a third of push → commit whenever the race hit; 50 ms doubling five times waits as
 * long in all (1.55 s) for a push that really is half way.
 */
const PARTIAL_SCAN_RETRIES = 5
const PARTIAL_SCAN_FIRST_RETRY_MS = 50

/**
 * An update a scan asked for decides on that scan's tag list when it starts within this long, rather than
 * listing the same tags again milliseconds later (a registry round trip inside push → commit). A push after
 * the scan wakes a scan of its own, whose list replaces this one. Within the same time, a clean scan of the
 * same tags does not queue the same config repositories again (run/scan-memory.ts).
 */
const SCAN_LISTING_REUSE_MS = 10_000

/**
 * An update builds on the head this process last synced or pushed, when that is this recent, without asking
 * the git server first (one round trip of three in an update, ~90 ms with git http-backend on a busy core). A
 * human commit since then makes the push fail (the server's compare-and-swap of the ref); the run then syncs and
 * computes again.
 * Not for push branches other than the branch read (the checkout never trusts a sync there).
 */
const SYNC_REUSE_MS = 10_000

export interface HandlerOptions {
  /** Told about a config repository that could not be read during discovery (the daemon logs it). */
  onDiscoveryError?: (configRepo: string, error: unknown) => void
  /** Told once about each registry client warning (an ignored state file, a shared cache outage). */
  onRegistryWarning?: (warning: string) => void
}

export function createPipelineHandlers(
  config: ImagebotConfig,
  client: RegistryClient,
  options: HandlerOptions = {},
): PipelineHandlers {
  const targetsByRepo = new Map<string, Target[]>()
  const partialScans = new Map<string, number>()
  const scans = new ScanMemory(SCAN_LISTING_REUSE_MS)
  /** The error of each config repository's last fetch; no entry once a fetch worked. */
  const syncErrors = new Map<string, string>()
  let warningsSeen = 0

  /** Passes on the client's warnings not told yet; the client only appends to its list. */
  function reportWarnings(): void {
    for (const warning of client.warnings.slice(warningsSeen)) options.onRegistryWarning?.(warning)
    warningsSeen = client.warnings.length
  }

  /** `sync`: after an update, the head it pushed is known without asking the git server. */
  async function discoverRepository(repository: RepositoryConfig, sync?: SyncOptions): Promise<Target[]> {
    const targets = await synced(repository.url, async () => {
      const checkout = await openCheckout(config, repository)
      const settings = repositorySettings(config, repository)
      const { files } = await readHead(checkout, settings, sync)
      return discoverFiles(files, settings).targets
    })
    targetsByRepo.set(repository.url, targets)
    return targets
  }

  /** Runs a fetch of one config repository, remembering whether it worked for syncState(). */
  async function synced<T>(url: string, fetch: () => Promise<T>): Promise<T> {
    try {
      const result = await fetch()
      syncErrors.delete(url)
      return result
    } catch (error) {
      syncErrors.set(url, error instanceof Error ? error.message : String(error))
      throw error
    }
  }

  function repositoryNamed(url: string): RepositoryConfig {
    const repository = config.repositories.find((candidate) => candidate.url === url)
    if (!repository) throw new Error(`${url} is not a configured repository`)
    return repository
  }

  /**
   * A repository that cannot be read keeps the targets it had, so its images stay scheduled; the others go on.
   * A head this process synced or pushed moments ago is not asked for again: every pushed commit requests a
   * discovery, which otherwise held the checkout for an upload-pack round trip while the next push's update
   * waited for it (up to 100 ms of push → commit with pushes close together).
   */
  async function discoverAll(): Promise<ScheduledImage[]> {
    const images = new Map<string, ScheduledImage>()
    for (const repository of config.repositories) {
      let targets: Target[]
      try {
        targets = await discoverRepository(repository, { reuseWithinMs: SYNC_REUSE_MS })
      } catch (error) {
        options.onDiscoveryError?.(repository.url, error)
        targets = targetsByRepo.get(repository.url) ?? []
      }
      for (const target of targets) {
        const key = repositoryKey(target.current)
        const entry = images.get(key) ?? { image: key, configRepos: [], intervalMs: intervalFor(config, key) }
        if (!entry.configRepos.includes(repository.url)) entry.configRepos.push(repository.url)
        images.set(key, entry)
      }
    }
    return [...images.values()]
  }

  return {
    discover: discoverAll,

    async scan(image: string): Promise<ScanOutcome> {
      if (targetsByRepo.size === 0) await discoverAll()
      const users = [...targetsByRepo].flatMap(([url, targets]) =>
        targets
          .filter((target) => repositoryKey(target.current) === image)
          .map((target) => ({ url, target })),
      )
      if (users.length === 0) return { changed: false, affectedConfigRepos: [], tagsSeen: 0 }
      const urlOf = new Map(users.map(({ url, target }) => [target, url]))
      // An invalid filter is left out here; the update run reports it with its file and container.
      const policed = attachPolicies([...urlOf.keys()], config.scan.excludeTags, [])
      const listings: Listings = new Map()
      const observer = runObserver(client, config.scan.concurrency, undefined, listings)
      const observation = (await observer(observationRequests(policed))).get(image)
      markStage('tags listed', image)
      reportWarnings()
      const affected = new Set<string>()
      for (const entry of policed) {
        if (!observation || observation.tags.length === 0) continue
        if (decideTarget(entry, observation).next !== undefined) affected.add(urlOf.get(entry.target)!)
      }
      markStage('decided', image)
      const clean = observation !== undefined && observation.problems.length === 0
      const outcome: ScanOutcome = {
        changed: affected.size > 0,
        affectedConfigRepos: await scans.toQueue(image, listings.get(image), affected, clean),
        tagsSeen: observation?.tagsSeen ?? 0,
      }
      const error = observation?.problems.map((problem) => problem.message).join('; ')
      if (error) outcome.error = error
      const retry = retryDelay(
        partialScans,
        image,
        observation?.problems.some((problem) => problem.transient) ?? false,
      )
      if (retry !== undefined) outcome.retryInMs = retry
      return outcome
    },

    async update(configRepo: string, updateOptions: { dryRun?: boolean } = {}): Promise<UpdateOutcome> {
      const repository = repositoryNamed(configRepo)
      const observer = runObserver(client, config.scan.concurrency, undefined, scans.recentListings())
      const recentHead: SyncOptions = { reuseWithinMs: SYNC_REUSE_MS }
      const run = await synced(repository.url, () =>
        runConfigRepository(config, repository, observer, { ...updateOptions, firstSync: recentHead }),
      ).catch((error: unknown) => {
        scans.forgetRepository(repository.url)
        throw error
      })
      reportWarnings()
      // The head moved (or was read fresh): later scans compare against what is there now.
      await discoverRepository(repository, recentHead)
      // Warnings (annotation mistakes) are shown apart: they must not mark the update as failed.
      const all = [...run.plan.errors, ...run.errors]
      const problems = all.filter((problem) => problem.severity !== 'warning')
      const outcome: UpdateOutcome = {
        updates: run.plan.updates.length,
        errors: problems.map((problem) => problem.message),
        warnings: all.filter((problem) => problem.severity === 'warning').map((problem) => problem.message),
        targets: run.plan.explanations,
        locked: run.plan.skipped
          .filter((entry) => entry.reason === 'locked')
          .map(({ file, workload, container, message }) =>
            message ? { file, workload, container, message } : { file, workload, container },
          ),
        outcome: repositoryOutcome(run.plan, run.errors),
      }
      if (problems.length > 0) {
        outcome.transient = problems.every((problem) => problem.transient === true)
        scans.forgetRepository(repository.url)
      }
      if (run.commit !== undefined) {
        outcome.commit = run.commit
        // The same message the commit was made with (the template is pure): its subject for notifications.
        const message = buildCommitMessage(
          run.plan.result,
          messageOptions(repositorySettings(config, repository)),
        )
        outcome.subject = message.split('\n', 1)[0] ?? ''
        outcome.changes = run.plan.updates.map(({ file, workload, container, current, next }) => ({
          file,
          workload,
          container,
          current,
          next,
        }))
      }
      return outcome
    },

    syncState: (): ConfigRepoSync[] =>
      config.repositories.map(({ url }) => {
        const error = syncErrors.get(url)
        return error === undefined ? { configRepo: url } : { configRepo: url, error }
      }),
  }
}

/** A scan that hit a transient problem is retried soon, a few times; a clean scan resets the count. */
function retryDelay(
  attempts: Map<string, number>,
  image: string,
  transientProblem: boolean,
): number | undefined {
  if (!transientProblem) {
    attempts.delete(image)
    return undefined
  }
  const attempt = attempts.get(image) ?? 0
  if (attempt >= PARTIAL_SCAN_RETRIES) {
    attempts.delete(image)
    return undefined
  }
  attempts.set(image, attempt + 1)
  return PARTIAL_SCAN_FIRST_RETRY_MS * 2 ** attempt
}

function intervalFor(config: ImagebotConfig, imageKey: string): number {
  const registry = config.registries.find((entry) => imageKey.startsWith(`${normalizeHost(entry.host)}/`))
  return registry?.intervalMs ?? config.scan.intervalMs
}
