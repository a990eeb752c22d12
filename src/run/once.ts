// One full cycle for every configured repository: the body of `imagebot once` and `imagebot plan --config`.
// Repositories run one after another and a failure in one never stops the others.
import { join } from 'node:path'
import { DEFAULT_CI_SKIP, type ImagebotConfig, type RepositoryConfig } from '../config/index.js'
import {
  type CommitSigner,
  ConfigRepoCheckout,
  createCommitSigner,
  GitError,
  type SyncOptions,
} from '../git/index.js'
import type { Problem } from '../problems.js'
import type { RegistryClient } from '../registry/client.js'
import type { ScanProgress } from '../registry/observe.js'
import { runObserver } from './observer.js'
import type { Observer } from './plan.js'
import { type RepositoryReport, type RunReport, repositoryReport, runReport } from './report.js'
import { type RepositoryRun, type RepositoryRunSettings, runRepository } from './repository.js'

export interface CycleOptions {
  /** Plan only: fetch and decide, but commit and push nothing. */
  dryRun?: boolean
  /** Called as each image repository is observed (a terminal's progress line). */
  onScanProgress?: ScanProgress
  /** The daemon's updates: how the first read syncs (RepositoryRunOptions). */
  firstSync?: SyncOptions
}

export interface Cycle {
  report: RunReport
  runs: RepositoryRun[]
}

export async function runCycle(config: ImagebotConfig, client: RegistryClient, options: CycleOptions = {}) {
  const observer = runObserver(client, config.scan.concurrency, options.onScanProgress)
  const runs: RepositoryRun[] = []
  const reports: RepositoryReport[] = []
  for (const repository of config.repositories) {
    try {
      const run = await runConfigRepository(config, repository, observer, options)
      runs.push(run)
      const report = repositoryReport(repository.url, repository.branch, run.plan, run.errors)
      if (run.commit !== undefined) report.commit = run.commit
      if (run.pushes.length > 0) report.pushes = run.pushes
      reports.push(report)
    } catch (error) {
      reports.push(repositoryReport(repository.url, repository.branch, undefined, [asProblem(error)]))
    }
  }
  const cycle: Cycle = { report: runReport(reports), runs }
  return cycle
}

export async function runConfigRepository(
  config: ImagebotConfig,
  repository: RepositoryConfig,
  observer: Observer,
  options: CycleOptions = {},
): Promise<RepositoryRun> {
  const checkout = await openCheckout(config, repository)
  // An automation that checks out or pushes other branches gets a checkout of its own, kept like this one.
  const openLane = (branch: string, pushBranch: string) =>
    openCheckout(config, { ...repository, branch, pushBranch })
  return runRepository(checkout, observer, repositorySettings(config, repository), {
    ...(options.dryRun !== undefined && { dryRun: options.dryRun }),
    ...(options.firstSync && { firstSync: options.firstSync }),
    openLane,
  })
}

/** One checkout per clone directory for the life of the process: it remembers which blobs hold nothing of ours. */
const checkouts = new Map<string, Promise<ConfigRepoCheckout>>()

export function openCheckout(
  config: ImagebotConfig,
  repository: RepositoryConfig,
): Promise<ConfigRepoCheckout> {
  const stateDir = join(config.stateDir, 'git')
  const key = `${stateDir} ${repository.url} ${repository.branch} ${repository.pushBranch}`
  let checkout = checkouts.get(key)
  if (checkout === undefined) {
    const remote = { url: repository.url, branch: repository.branch, pushBranch: repository.pushBranch }
    checkout = ConfigRepoCheckout.open(
      stateDir,
      repository.auth ? { ...remote, auth: repository.auth } : remote,
    )
    // A failed open (bad settings, unwritable state dir) is not remembered: the next run tries again.
    checkout.catch(() => checkouts.delete(key))
    checkouts.set(key, checkout)
  }
  return checkout
}

export function repositorySettings(
  config: ImagebotConfig,
  repository: RepositoryConfig,
): RepositoryRunSettings {
  const settings: RepositoryRunSettings = {
    url: repository.url,
    branch: repository.pushBranch,
    readBranch: repository.branch,
    explicitBranch: repository.explicitBranch,
    explicitPushBranch: repository.explicitPushBranch,
    author: repository.commit.author,
    excludeTags: config.scan.excludeTags,
  }
  if (repository.paths) settings.paths = repository.paths
  if (repository.namespaces) settings.namespaces = repository.namespaces
  if (repository.commit.message !== undefined) settings.messageTemplate = repository.commit.message
  const ciSkip = ciSkipSuffix(repository.commit)
  if (ciSkip !== undefined) settings.ciSkip = ciSkip
  if (repository.commit.signingKey !== undefined) settings.signer = signerFor(repository)
  if (config.scan.includeImages) settings.includeImages = config.scan.includeImages
  if (config.scan.excludeImages) settings.excludeImages = config.scan.excludeImages
  return settings
}

/** Flux v1: --git-ci-skip-message alone turns it on; --git-ci-skip alone means "[ci skip]". */
export function ciSkipSuffix(commit: RepositoryConfig['commit']): string | undefined {
  if (commit.ciSkip === false) return undefined
  if (commit.ciSkipMessage !== undefined) return commit.ciSkipMessage
  return commit.ciSkip ? DEFAULT_CI_SKIP : undefined
}

/** One signer per repository entry for the life of the process: the key is read and decrypted once. */
const signers = new WeakMap<RepositoryConfig, Promise<CommitSigner>>()

function signerFor(repository: RepositoryConfig): Promise<CommitSigner> {
  let signer = signers.get(repository)
  if (signer === undefined) {
    const { key, passphrase } = repository.commit.signingKey!
    signer = createCommitSigner(
      passphrase === undefined ? { key: key! } : { key: key!, passphrase },
      repository.url,
    )
    // A bad key is reported when the repository is committed to; the promise must not be an unhandled rejection.
    signer.catch(() => undefined)
    signers.set(repository, signer)
  }
  return signer
}

function asProblem(error: unknown): Problem {
  if (error instanceof GitError) return { code: 'GIT', message: error.message, transient: error.transient }
  return { code: 'GIT', message: error instanceof Error ? error.message : String(error) }
}
