// `imagebot images`: what `fluxctl list-images` showed, from the config repo and the registries: each automated
// container's current tag and the newest candidates under its filter, marking the one its policy would pick.
// The decision is the plan's own (policed.ts: attachPolicies, observationRequests, decideTarget): no second logic.
import { formatPolicySpec } from '../../policies/index.js'
import { writtenName } from '../image/reference.js'
import { discover } from '../manifests/index.js'
import type { Problem } from '../problems.js'
import { closestName } from '../suggest.js'
import type { Skipped } from '../types.js'
import { filterImages } from './image-filter.js'
import type { Observer, PlanOptions, SourceFile } from './plan.js'
import { attachPolicies, decideTarget, observationRequests } from './policed.js'
import { VerbError } from './steer.js'

export interface ListedImage {
  file: string
  workload: string
  container: string
  /** The image as written, without its tag. */
  image: string
  /** The tag in the manifest (absent for an untagged reference). */
  current?: string
  policy: string
  /** The tag the policy would move to, or the current one when it is up to date; null when none qualifies. */
  pick: string | null
  reason: string
  /** Tags passing the filter, newest first (at most `limit`); build time where fetched. */
  candidates: { tag: string; created?: string }[]
  /** Candidates left out by the limit. */
  omitted: number
}

export interface ImagesReport {
  images: ListedImage[]
  skipped: Skipped[]
  errors: Problem[]
}

export interface ImagesOptions extends PlanOptions {
  /** Only this workload (normalized id). */
  workload?: string
  /** Candidates shown per container; 0 means all (fluxctl --limit). */
  limit: number
}

export async function listImages(
  files: SourceFile[],
  observer: Observer,
  options: ImagesOptions,
): Promise<ImagesReport> {
  const discovery = discover(files, options)
  const mine = <T extends { workload?: string }>(entries: T[]) =>
    options.workload === undefined ? entries : entries.filter((entry) => entry.workload === options.workload)
  const targets = mine(discovery.targets)
  const skipped = mine(discovery.skipped)
  if (options.workload !== undefined && targets.length === 0 && skipped.length === 0) {
    const known = [...new Set([...discovery.targets, ...discovery.skipped].map((entry) => entry.workload))]
    const hint = closestName(options.workload, known, 3)
    throw new VerbError(
      `no automated workload ${options.workload}${hint ? ` (did you mean ${hint}?)` : ''}; see imagebot targets --all`,
      'usage',
    )
  }
  const errors: Problem[] = mine(discovery.problems)
  const filtered = filterImages(targets, options)
  skipped.push(...filtered.skipped)
  const policed = attachPolicies(filtered.kept, options.excludeTags, errors)
  const observations = await observer(observationRequests(policed))
  const images: ListedImage[] = []
  for (const entry of policed) {
    const { target, policy } = entry
    const observation = observations.get(observationRequests([entry])[0]!.key)
    if (!observation || observation.problems.length > 0) {
      for (const problem of observation?.problems ?? [])
        errors.push({ ...problem, image: target.current.written })
      continue
    }
    const buildInfo = (tag: string) => observation.metadata.get(tag)
    const decision = decideTarget(entry, observation)
    const ordering = policy.order(
      observation.tags.filter((tag) => policy.matches(tag)),
      buildInfo,
    )
    const all = [...ordering.ranked, ...ordering.unordered]
    const shown = options.limit > 0 ? all.slice(0, options.limit) : all
    images.push({
      file: target.file,
      workload: target.workload,
      container: target.container,
      image: writtenName(target.current),
      ...(target.current.tag !== undefined && { current: target.current.tag }),
      policy: formatPolicySpec(target.policy),
      pick: decision.next ?? (decision.outcome === 'up-to-date' ? (target.current.tag ?? null) : null),
      reason: decision.reason,
      candidates: shown.map((tag) => {
        const created = observation.metadata.get(tag)?.created
        return created === undefined ? { tag } : { tag, created }
      }),
      omitted: all.length - shown.length,
    })
  }
  images.sort((a, b) => a.workload.localeCompare(b.workload) || a.container.localeCompare(b.container))
  return { images, skipped, errors }
}
