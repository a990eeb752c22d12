// `imagebot release --workload W --update-image REF`: fluxctl release on git. Every container of the workload
// running REF's repository moves to REF's tag, through the same rewrite and commit message as automated updates.
// As in Flux v1 (pkg/update/release_image.go), a locked or ignored workload and a tag outside the container's
// filter are refused unless --force; the tag must exist in the registry, forced or not.
import { createPolicy, formatPolicySpec } from '../../policies/index.js'
import { annotationsOf, parseDocuments, spellings, workloadsIn } from '../annotate/index.js'
import { buildCommitMessage } from '../commit/index.js'
import {
  canonicalRepository,
  type ImageRef,
  ImageRefError,
  parseImageRef,
  repositoryKey,
  writtenName,
} from '../image/reference.js'
import { discover } from '../manifests/index.js'
import { rewriteFile } from '../rewrite/index.js'
import type { Target } from '../types.js'
import type { Observer, SourceFile } from './plan.js'
import { type Steering, VerbError } from './steer.js'
import { findWorkload } from './workload-find.js'

export interface ReleaseRequest {
  /** Normalized `ns:kind/name`. */
  workload: string
  /** `repo:tag` as the user wrote it. */
  image: string
  force?: boolean
  messageTemplate?: string
  excludeTags?: string[]
}

/** The policy label of a manual release in the commit message and report. */
export const MANUAL_RELEASE = 'manual release'

/** Checks --update-image alone: a reference with a tag (a digest pins content, not a release). */
export function releaseImage(text: string): ImageRef & { tag: string } {
  let ref: ImageRef
  try {
    ref = parseImageRef(text)
  } catch (error) {
    if (error instanceof ImageRefError)
      throw new VerbError(`--update-image ${text}: ${error.message}`, 'usage')
    throw error
  }
  if (ref.tag === undefined || ref.digest !== undefined) {
    throw new VerbError(`--update-image ${text}: give repository:tag, e.g. ghcr.io/acme/api:1.4.2`, 'usage')
  }
  return ref as ImageRef & { tag: string }
}

export async function releaseSteering(
  files: SourceFile[],
  request: ReleaseRequest,
  observer: Observer,
): Promise<Steering> {
  const image = releaseImage(request.image)
  const file = findWorkload(files, request.workload)
  const targets = matchingContainers(file, request.workload, image)
  if (!request.force) refuseLocked(file, request.workload)
  const moving = targets.filter(
    (target) => target.current.tag !== image.tag || target.current.digest !== undefined,
  )
  if (moving.length === 0) {
    return { files: new Map(), message: '', summary: [`${request.workload}: already at ${image.written}`] }
  }
  if (!request.force) refuseFiltered(moving, image.tag, request.excludeTags)
  await requireTag(observer, image)
  const edits = moving.map((target) => ({ target, newTag: image.tag, policy: MANUAL_RELEASE }))
  const rewritten = rewriteFile(file.path, file.text, edits)
  if (rewritten.problems.length > 0) {
    throw new VerbError(rewritten.problems.map((problem) => problem.message).join('; '), 'refused')
  }
  const result = { files: new Map([[file.path, { text: rewritten.text, changes: rewritten.changes }]]) }
  const template = request.messageTemplate === undefined ? {} : { template: request.messageTemplate }
  return {
    files: new Map([[file.path, rewritten.text]]),
    message: buildCommitMessage(result, template),
    summary: rewritten.changes.map(
      (change) => `${file.path} ${change.workload} ${change.container}: ${change.oldRef} → ${change.newRef}`,
    ),
  }
}

/** The workload's containers running REF's repository (any spelling of it: `nginx` = `docker.io/library/nginx`). */
function matchingContainers(file: SourceFile, workload: string, image: ImageRef): Target[] {
  const found = discover([file], { manual: true })
  const mine = found.targets.filter((target) => target.workload === workload)
  const wanted = repositoryKey(image)
  const matching = mine.filter((target) => repositoryKey(target.current) === wanted)
  if (matching.length > 0) return matching
  const unsafe = found.skipped.filter((entry) => entry.workload === workload)
  const listed = mine.map((target) => `${target.container} (${target.current.written})`)
  const why = unsafe.map((entry) => `${entry.container}: ${entry.reason}`)
  throw new VerbError(
    `${workload} has no container running ${writtenName(image)}; its containers: ${
      [...listed, ...why].join(', ') || '(none found)'
    }`,
    'usage',
  )
}

function refuseLocked(file: SourceFile, workload: string): void {
  const doc = workloadsIn(parseDocuments(file.text)).find((candidate) => candidate.id === workload)
  const annotations = doc ? annotationsOf(doc) : new Map<string, string>()
  const value = (policy: string) =>
    spellings(policy)
      .map((key) => annotations.get(key))
      .find((v) => v !== undefined)
  for (const policy of ['locked', 'ignore']) {
    if (value(policy) !== 'true') continue
    const why = value('locked_msg')
    const state = policy === 'locked' ? 'locked' : 'ignored'
    throw new VerbError(
      `${workload} is ${state}${policy === 'locked' && why ? ` ("${why}")` : ''}: ` +
        `${policy === 'locked' ? 'unlock it with imagebot policy --unlock, ' : ''}or release anyway with --force`,
      'refused',
    )
  }
}

function refuseFiltered(targets: Target[], tag: string, excludeTags: string[] | undefined): void {
  for (const target of targets) {
    const policy = createPolicy(target.policy, { excludeTags })
    if (policy.matches(tag)) continue
    throw new VerbError(
      `tag ${tag} does not pass the tag filter of ${target.workload} container ${target.container} ` +
        `(${formatPolicySpec(target.policy)}): change the filter with imagebot policy --tag, or release anyway with --force`,
      'refused',
    )
  }
}

/** The registry must list the tag: a release to a tag nobody pushed would break the workload. */
async function requireTag(observer: Observer, image: ImageRef & { tag: string }): Promise<void> {
  const key = repositoryKey(image)
  const observed = (
    await observer([{ key, image: canonicalRepository(image), wantsMetadata: () => false, alsoTags: [] }])
  ).get(key)
  const problem = observed?.problems[0]
  if (!observed || problem) {
    throw new VerbError(
      `cannot check ${image.written} in its registry: ${problem?.message ?? 'no answer'}`,
      'refused',
    )
  }
  if (!observed.tags.includes(image.tag)) {
    throw new VerbError(`the registry lists no tag ${image.tag} for ${key}; push it first`, 'refused')
  }
}
