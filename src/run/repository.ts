// One config repository, one cycle: fetch, plan on the head, commit, push. A rejected push means a human
// (or another bot) moved the branch: fetch and recompute on the new head rather than rebase, because their
// change may have edited the same file, changed a filter or locked the release.

import type { CommitMessageOptions } from '../commit/index.js'
import { buildCommitMessage } from '../commit/index.js'
import { isKustomizationFile, mightMatterToFluxBytes, readKustomizations } from '../flux2/index.js'
import type { CommitSigner, ConfigRepoCheckout } from '../git/index.js'
import { DEFAULT_MAX_FILE_BYTES, isManifestFile, mightBeAutomatedBytes } from '../manifests/index.js'
import type { Problem } from '../problems.js'
import { markStage } from '../stage-timing.js'
import { automationCommit, type RepositoryIdentity } from './automation.js'
import { type Observer, type Plan, type PlanOptions, planFiles } from './plan.js'

export interface RepositoryRunSettings extends PlanOptions {
  url: string
  /** The branch pushed to. */
  branch: string
  /** The branch read, when it differs from `branch`. */
  readBranch?: string
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
  /** The pushed commit, when there was something to commit. */
  commit?: string
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

export async function runRepository(
  checkout: ConfigRepoCheckout,
  observer: Observer,
  settings: RepositoryRunSettings,
  options: { dryRun?: boolean } = {},
): Promise<RepositoryRun> {
  const attempts = settings.maxPushAttempts ?? DEFAULT_PUSH_ATTEMPTS
  let plan: Plan | undefined
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const { head, files, problems } = await readHead(checkout, settings)
    plan = await planFiles(files, observer, settings)
    markStage('metadata fetched', settings.url)
    plan.errors.unshift(...problems)
    const flux = automationCommit(plan.flux, identity(settings))
    plan.errors.push(...flux.warnings, ...flux.blocking)
    if (options.dryRun || plan.result.files.size === 0 || flux.blocking.length > 0)
      return done(settings, plan)
    const contents = new Map([...plan.result.files].map(([file, update]) => [file, update.text]))
    const message = buildCommitMessage(plan.result, {
      ...messageOptions(settings),
      ...(flux.render && { render: flux.render }),
    })
    const author = flux.author ?? settings.author
    const commit = await checkout.commitFiles(head, contents, author, message, await settings.signer)
    if (commit === null) return done(settings, plan)
    markStage('committed', settings.url)
    const outcome = await checkout.push(commit)
    if (outcome.ok) {
      markStage('pushed', settings.url)
      return done(settings, plan, commit)
    }
  }
  return done(settings, plan!, undefined, [
    {
      code: 'GIT',
      transient: true,
      message: `${settings.url}: push to ${settings.branch} was rejected ${attempts} times because the branch kept moving; the next run will try again`,
    },
  ])
}

/** Fetches and reads the annotated YAML files at the head; unreadable annotated files become problems. */
export async function readHead(checkout: ConfigRepoCheckout, settings: PlanOptions) {
  const head = await checkout.sync()
  const problems: Problem[] = []
  const files = await checkout.readFiles(head, {
    ...(settings.paths && { prefixes: settings.paths }),
    screen: (path, bytes) =>
      isManifestFile(path) &&
      (mightBeAutomatedBytes(bytes) || mightMatterToFluxBytes(bytes) || isKustomizationFile(path)),
    maxBytes: settings.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    onSkip: (file, why) => {
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
    author: settings.author,
  }
  if (settings.messageTemplate !== undefined) found.messageTemplate = settings.messageTemplate
  return found
}

function done(
  settings: RepositoryRunSettings,
  plan: Plan,
  commit?: string,
  errors: Problem[] = [],
): RepositoryRun {
  const run: RepositoryRun = { url: settings.url, branch: settings.branch, plan, errors }
  if (commit !== undefined) run.commit = commit
  return run
}

export function messageOptions(settings: RepositoryRunSettings): CommitMessageOptions {
  const options: CommitMessageOptions = {}
  if (settings.messageTemplate !== undefined) options.template = settings.messageTemplate
  if (settings.ciSkip !== undefined) options.ciSkip = settings.ciSkip
  return options
}
