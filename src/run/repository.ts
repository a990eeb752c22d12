// One config repository, one cycle: fetch, plan on the head, commit, push, for each lane (a branch read and
// a branch pushed, run/automation.ts). A rejected push means a human (or another bot) moved the branch: fetch
// and recompute on the new head rather than rebase, because their change may have edited the same file,
// changed a filter or locked the release (run/lanes.ts).

import type { CommitMessageOptions } from '../commit/index.js'
import {
  isKustomizationFile,
  mightHoldObjectsBytes,
  mightMatterToFluxBytes,
  readKustomizations,
} from '../flux2/index.js'
import { type CommitSigner, type ConfigRepoCheckout, GitError, type SyncOptions } from '../git/index.js'
import { DEFAULT_MAX_FILE_BYTES, isManifestFile, mightBeAutomatedBytes } from '../manifests/index.js'
import { Selector } from '../manifests/select.js'
import type { Problem } from '../problems.js'
import { markStage } from '../stage-timing.js'
import { automationLanes, type Lane, type RepositoryIdentity } from './automation.js'
import { ownerOf } from './commit-groups.js'
import { type HeadPlan, type LaneContext, type LaneRun, laneOwners, laneView, runLane } from './lanes.js'
import { type Observer, type Plan, type PlanOptions, planFiles } from './plan.js'

export interface RepositoryRunSettings extends PlanOptions {
  url: string
  /** The branch pushed to. */
  branch: string
  /** The branch read, when it differs from `branch`. */
  readBranch?: string
  /** imagebot.yaml sets the branch read / pushed itself; absent counts as set (nothing follows the objects). */
  explicitBranch?: boolean
  explicitPushBranch?: boolean
  author: { name: string; email: string }
  messageTemplate?: string
  /** Appended to the subject of every bot commit (`[ci skip]`). */
  ciSkip?: string
  /** Signs every bot commit; a rejected key fails the commit with a config error. */
  signer?: Promise<CommitSigner>
  /** How many times a rejected push is recomputed and retried. */
  maxPushAttempts?: number
}

export interface RepositoryRun {
  url: string
  branch: string
  plan: Plan
  /** The last pushed commit, when there was something to commit. */
  commit?: string
  /** Every push of the run: one per lane that had something to commit (run/automation.ts). */
  pushes: { branch: string; commit: string }[]
  /** Errors of the repository itself (fetch, push), besides the plan's per-file and per-image errors. */
  errors: Problem[]
}

const DEFAULT_PUSH_ATTEMPTS = 4

/** A YAML file that could not be read may hold releases, so it is reported; other files are none of ours. */
function unreadable(file: string, why: 'too-large' | 'not-utf8'): Problem {
  const message =
    why === 'too-large'
      ? `${file}: larger than the size limit, not read; split the file or raise the limit`
      : `${file}: not valid UTF-8, not read; save it as UTF-8`
  return { code: why === 'too-large' ? 'FILE_TOO_LARGE' : 'FILE_READ', file, message }
}

/**
 * A name git refuses to check out (`docs/a\b.md`, `.GIT/`) never blocks the repository: the entry is carried
 * over untouched by every commit. A file the bot would have read is an error (it cannot be updated); any
 * other is a warning, so nothing in the tree goes unmentioned.
 */
function unsafeName(file: string, why: 'unsafe-name' | 'unsafe-name-manifest'): Problem {
  const shown = JSON.stringify(file)
  if (why === 'unsafe-name-manifest') {
    return {
      code: 'FILE_READ',
      file,
      message: `${shown}: git refuses this file name (a backslash or a .git look-alike), so it is not read or updated; rename it`,
    }
  }
  return {
    code: 'FILE_READ',
    file,
    severity: 'warning',
    message: `${shown}: skipped, git refuses this name (a backslash or a .git look-alike); it is kept as it is`,
  }
}

export interface RepositoryRunOptions {
  dryRun?: boolean
  /** How the first read syncs (ConfigRepoCheckout.sync); a read after a rejected push always asks the remote. */
  firstSync?: SyncOptions
  /** Opens the checkout of another lane (an automation's own branches); without it such lanes fail. */
  openLane?: (branch: string, pushBranch: string) => Promise<ConfigRepoCheckout>
}

export async function runRepository(
  checkout: ConfigRepoCheckout,
  observer: Observer,
  settings: RepositoryRunSettings,
  options: RepositoryRunOptions = {},
): Promise<RepositoryRun> {
  const readPlan = (from: ConfigRepoCheckout, sync?: SyncOptions) => async (): Promise<HeadPlan> => {
    const { head, files, problems } = await readHead(from, settings, sync)
    const plan = await planFiles(files, observer, settings)
    markStage('metadata fetched', settings.url)
    plan.errors.unshift(...problems)
    return { head, plan }
  }
  // The objects are read from imagebot.yaml's branch (main by default); they say which lanes there are.
  const repository = identity(settings)
  const first = await readPlan(checkout, options.firstSync)()
  const { lanes } = automationLanes(first.plan.flux, repository)
  // Every read of the first lane (a rejected push reads it again) reports what its objects say about lanes.
  const readFirstLane = async (read?: HeadPlan): Promise<HeadPlan> => {
    const fresh = read ?? (await readPlan(checkout)())
    const { warnings } = automationLanes(fresh.plan.flux, repository)
    fresh.plan.errors.push(...warnings, ...foreignOwners(fresh.plan, lanes))
    return fresh
  }
  await readFirstLane(first)
  const context: LaneContext = {
    url: settings.url,
    identity: repository,
    message: messageOptions(settings),
    attempts: settings.maxPushAttempts ?? DEFAULT_PUSH_ATTEMPTS,
    dryRun: options.dryRun === true,
    ...(settings.signer && { signer: settings.signer }),
  }
  const runs: LaneRun[] = []
  for (const [index, lane] of lanes.entries()) {
    const owners = laneOwners(lane, index === 0)
    if (index === 0) {
      runs.push(await runLane(checkout, lane, owners, () => readFirstLane(), context, first))
      continue
    }
    // An automation on another branch: that branch is opened and read once, and its own tree's markers are
    // committed for the automations of this lane. Automations read there are not followed to yet another
    // branch: the lanes are those the first branch's objects name, so a run never chases branches in a loop.
    try {
      if (!options.openLane) throw new Error('no checkout can be opened for it')
      const laneCheckout = await options.openLane(lane.branch, lane.pushBranch)
      runs.push(await runLane(laneCheckout, lane, owners, readPlan(laneCheckout), context))
    } catch (error) {
      runs.push({ lane, plan: laneView(first.plan, []), errors: [laneFailure(settings, lane, error)] })
    }
  }
  return merged(settings, runs)
}

/**
 * Marker targets owned by an automation of another repository's GitRepository: Flux would not write them
 * here, and neither does imagebot, but they are reported rather than left silently.
 */
function foreignOwners(plan: Plan, lanes: Lane[]): Problem[] {
  const owned = new Set(lanes.flatMap((lane, index) => laneOwners(lane, index === 0)))
  const seen = new Set<string>()
  const problems: Problem[] = []
  for (const { target } of plan.edits) {
    const owner = ownerOf(target)
    if (owned.has(owner) || seen.has(`${owner} ${target.file}`)) continue
    seen.add(`${owner} ${target.file}`)
    problems.push({
      code: 'FLUX_OBJECT',
      severity: 'warning',
      file: target.file,
      message: `${target.file}: its markers belong to ImageUpdateAutomation ${owner}, whose GitRepository is another repository; not updated here`,
    })
  }
  return problems
}

function laneFailure(settings: RepositoryRunSettings, lane: Lane, error: unknown): Problem {
  const why = error instanceof Error ? error.message : String(error)
  return {
    code: 'GIT',
    transient: error instanceof GitError ? error.transient : false,
    message: `${settings.url}: ImageUpdateAutomation ${lane.automations.join(', ')} (branch ${lane.branch}, push branch ${lane.pushBranch}): ${why}`,
  }
}

/** One report for the repository: the first lane's plan, with the other lanes' updates and new problems. */
function merged(settings: RepositoryRunSettings, runs: LaneRun[]): RepositoryRun {
  const [first, ...others] = runs as [LaneRun, ...LaneRun[]]
  const plan = { ...first.plan, result: { files: new Map(first.plan.result.files) } }
  const seen = new Set(plan.errors.map((problem) => problem.message))
  for (const run of others) {
    for (const [file, update] of run.plan.result.files) {
      plan.result.files.set(file, update)
      plan.originals.set(file, run.plan.originals.get(file) ?? '')
    }
    plan.updates = [...plan.updates, ...run.plan.updates]
    for (const problem of run.plan.errors) {
      if (!seen.has(problem.message)) plan.errors.push(problem)
      seen.add(problem.message)
    }
  }
  const pushes = runs.flatMap((run) =>
    run.commit === undefined ? [] : [{ branch: run.lane.pushBranch, commit: run.commit }],
  )
  const errors = runs.flatMap((run) => run.errors)
  const run: RepositoryRun = { url: settings.url, branch: settings.branch, plan, errors, pushes }
  if (pushes.length > 0) run.commit = pushes[pushes.length - 1]!.commit
  return run
}

/**
 * What the screen rejected beyond the configured paths, per checkout and paths: the screen there differs
 * (Flux objects only), and a blob's rejection is remembered only for the screen that rejected it.
 */
const rejectedOutside = new WeakMap<ConfigRepoCheckout, Map<string, Set<string>>>()

function rejectedFor(checkout: ConfigRepoCheckout, paths: string[]): Set<string> {
  const byPaths = rejectedOutside.get(checkout) ?? new Map<string, Set<string>>()
  rejectedOutside.set(checkout, byPaths)
  const key = JSON.stringify(paths)
  const rejected = byPaths.get(key) ?? new Set<string>()
  byPaths.set(key, rejected)
  return rejected
}

/**
 * Fetches and reads the annotated YAML files at the head; unreadable annotated files become problems. The
 * whole tree is walked, because Flux objects apply wherever they are (in a cluster they come from anywhere):
 * beyond `paths` only files with objects are read, so paths still limit where updates are written.
 */
export async function readHead(checkout: ConfigRepoCheckout, settings: PlanOptions, sync?: SyncOptions) {
  const head = await checkout.sync(sync)
  const problems: Problem[] = []
  const selected = new Selector(settings.paths ? { paths: settings.paths } : {})
  const limited = settings.paths !== undefined && settings.paths.length > 0
  const screen = (path: string, bytes: Uint8Array) =>
    isManifestFile(path) &&
    (selected.file(path)
      ? mightBeAutomatedBytes(bytes) || mightMatterToFluxBytes(bytes) || isKustomizationFile(path)
      : mightHoldObjectsBytes(bytes))
  const files = await checkout.readFiles(head, {
    screen,
    ...(limited && { rejected: rejectedFor(checkout, settings.paths!) }),
    maxBytes: settings.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    onSkip: (file, why) => {
      if (!selected.file(file)) return
      if (isManifestFile(file) && (why === 'too-large' || why === 'not-utf8'))
        problems.push(unreadable(file, why))
      if (why === 'unsafe-name' || why === 'unsafe-name-manifest') problems.push(unsafeName(file, why))
    },
  })
  // Overlay patches hold no token the screen knows, yet may pin a tag: read the ones kustomizations list.
  const read = new Set(files.map((file) => file.path))
  const patches = readKustomizations(files).flatMap((k) => k.patchFiles.filter((path) => !read.has(path)))
  if (patches.length > 0) {
    const patchFiles = await checkout.readFiles(head, {
      prefixes: [...new Set(patches)],
      maxBytes: settings.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    })
    files.push(...patchFiles.filter((file) => patches.includes(file.path)))
  }
  return { head, files, problems }
}

function identity(settings: RepositoryRunSettings): RepositoryIdentity {
  const found: RepositoryIdentity = {
    url: settings.url,
    branch: settings.readBranch ?? settings.branch,
    pushBranch: settings.branch,
    explicitBranch: settings.explicitBranch ?? true,
    explicitPushBranch: settings.explicitPushBranch ?? true,
    author: settings.author,
  }
  if (settings.messageTemplate !== undefined) found.messageTemplate = settings.messageTemplate
  return found
}

export function messageOptions(settings: RepositoryRunSettings): CommitMessageOptions {
  const options: CommitMessageOptions = {}
  if (settings.messageTemplate !== undefined) options.template = settings.messageTemplate
  if (settings.ciSkip !== undefined) options.ciSkip = settings.ciSkip
  return options
}
