// The pure-ish heart of a run: files in, planned updates and new file contents out. The only I/O is the
// registry observation, done once per unique image repository behind all eligible targets.
import type { Decision } from '../../policies/index.js'
import { formatPolicySpec } from '../../policies/spec.js'
import type { FluxObjects } from '../flux2/index.js'
import { type canonicalRepository, repositoryKey, withTag, writtenName } from '../image/reference.js'
import { type DiscoverOptions, NOT_AUTOMATED } from '../manifests/index.js'
import type { Problem } from '../problems.js'
import type { RepositoryObservation } from '../registry/observe.js'
import { rewriteFiles, type TagEdit } from '../rewrite/index.js'
import type { Skipped, Target, UpdateResult } from '../types.js'
import { discoverAll } from './discover.js'
import { filterImages, type ImageFilter } from './image-filter.js'
import {
  attachPolicies,
  decisionsOfRun,
  observationRequests,
  type PolicedTarget,
  wantsDigest,
} from './policed.js'

export interface PlanOptions extends DiscoverOptions, ImageFilter {
  excludeTags?: string[]
}

export interface SourceFile {
  path: string
  text: string
}

export interface PlannedUpdate {
  file: string
  workload: string
  container: string
  current: string
  next: string
  policy: string
}

/** A decision for one target, kept for --explain and the daemon's /status. */
export interface Explanation {
  file: string
  workload: string
  container: string
  current: string
  next?: string
  policy: string
  reason: string
  /** The newest listed tag the policy ordered first, chosen or not (decision.newest). */
  newest?: string
}

export interface Plan {
  updates: PlannedUpdate[]
  skipped: Skipped[]
  errors: Problem[]
  explanations: Explanation[]
  /** New contents of the files that change, with the changes made (the commit's input). */
  result: UpdateResult
  /** The old contents of the files in `result`, for --diff. */
  originals: Map<string, string>
  /** The Flux objects read from the tree (ImageUpdateAutomations decide commit settings). */
  flux: FluxObjects
  /** The edits `result` was made from, to split it into one commit per automation (commit-groups.ts). */
  edits: TagEdit[]
}

/** Looks up tags and build metadata for unique image repositories (the observe stage). */
export type Observer = (
  requests: {
    key: string
    image: ReturnType<typeof canonicalRepository>
    wantsMetadata: (tag: string) => boolean
    /** Current tags of build-time targets: their metadata is needed even when unlisted. */
    alsoTags: string[]
  }[],
) => Promise<Map<string, RepositoryObservation>>

export async function planFiles(
  files: SourceFile[],
  observer: Observer,
  options: PlanOptions = {},
): Promise<Plan> {
  const discovery = discoverAll(files, options)
  const errors: Problem[] = [...discovery.problems]
  // Containers without automation are no news in a plan; `imagebot targets --all` lists them.
  const skipped: Skipped[] = discovery.skipped.filter((entry) => !entry.reason.startsWith(NOT_AUTOMATED))
  const images = filterImages(discovery.targets, options)
  skipped.push(...images.skipped)
  const policed = attachPolicies(images.kept, options.excludeTags, errors)
  const observations = await observer(observationRequests(policed))

  const explanations: Explanation[] = []
  const editsByFile = new Map<string, TagEdit[]>()
  const reportedImages = new Set<string>()
  const decideTarget = decisionsOfRun()
  for (const { target, policy } of policed) {
    const key = repositoryKey(target.current)
    const observation = observations.get(key)
    reportRegistryProblems(observation, target, policed, reportedImages, errors)
    if (!observation || observation.tags.length === 0) continue
    const decision = decideTarget({ target, policy }, observation)
    const next = nextTag(target, decision)
    const explanation = explain(target, decision, next)
    explanations.push(explanation)
    if (decision.outcome === 'waiting-for-metadata') {
      // An error worth retrying: the next scan may fetch what this one could not.
      errors.push({
        code: 'REGISTRY',
        file: target.file,
        image: writtenName(target.current),
        workload: target.workload,
        container: target.container,
        transient: true,
        message: `${target.workload} container ${target.container}: ${decision.reason}`,
      })
      continue
    }
    if (next === undefined) {
      // An up-to-date container was not skipped: it is where its policy wants it (see --explain).
      if (decision.outcome !== 'up-to-date') {
        skipped.push({
          file: target.file,
          workload: target.workload,
          container: target.container,
          reason: decision.reason,
        })
      }
      continue
    }
    const edits = editsByFile.get(target.file) ?? []
    const edit: TagEdit = { target, newTag: next, policy: explanation.policy }
    const digest = wantsDigest(target) ? observation.metadata.get(next)?.digest : undefined
    if (digest !== undefined) edit.digest = digest
    edits.push(edit)
    editsByFile.set(target.file, edits)
  }

  const originals = new Map<string, string>()
  const textByPath = new Map(files.map((file) => [file.path, file.text]))
  const rewritten = rewriteFiles((file) => textByPath.get(file) ?? '', [...editsByFile.values()].flat())
  errors.push(...rewritten.problems)
  const result: UpdateResult = rewritten.update
  for (const file of result.files.keys()) originals.set(file, textByPath.get(file) ?? '')
  const updates = updatesOf(result)
  const edits = [...editsByFile.values()].flat()
  return { updates, skipped, errors, explanations, result, originals, flux: discovery.objects, edits }
}

export function updatesOf(result: UpdateResult): PlannedUpdate[] {
  return [...result.files].flatMap(([file, update]) =>
    update.changes.map((change) => ({
      file,
      workload: change.workload,
      container: change.container,
      current: change.oldRef,
      next: change.newRef,
      policy: change.policy,
    })),
  )
}

/**
 * A setter writes the policy's pick whole, so an up-to-date tag is still written when the scalar holds
 * another name or no tag at all; the rewrite leaves a scalar that already holds the pick alone.
 */
function nextTag(target: Target, decision: Decision): string | undefined {
  if (decision.next !== undefined) return decision.next
  return target.setter && decision.outcome === 'up-to-date' ? target.current.tag : undefined
}

function reportRegistryProblems(
  observation: RepositoryObservation | undefined,
  target: Target,
  policed: PolicedTarget[],
  reported: Set<string>,
  errors: Problem[],
): void {
  const image = writtenName(target.current)
  if (reported.has(image)) return
  reported.add(image)
  if (!observation) {
    errors.push({ code: 'REGISTRY', image, message: `${image}: no registry observation was made` })
    return
  }
  if (observation.problems.length === 0) return
  // Said once per image, so the one line names every workload that waits on it.
  const key = repositoryKey(target.current)
  const workloads = [
    ...new Set(policed.filter((p) => repositoryKey(p.target.current) === key).map((p) => p.target.workload)),
  ]
  const shown =
    workloads.slice(0, 3).join(', ') + (workloads.length > 3 ? ` and ${workloads.length - 3} more` : '')
  const affects = `; affects ${shown}`
  for (const problem of observation.problems)
    errors.push({ ...problem, image, message: problem.message + affects })
}

function explain(target: Target, decision: Decision, next: string | undefined): Explanation {
  const explanation: Explanation = {
    file: target.file,
    workload: target.workload,
    container: target.container,
    current: target.current.written,
    policy: formatPolicySpec(target.policy),
    reason: decision.reason,
  }
  if (next !== undefined) explanation.next = withTag(target.current, next)
  if (decision.newest !== undefined) explanation.newest = decision.newest
  return explanation
}
