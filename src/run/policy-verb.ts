// `imagebot policy`: fluxctl policy on git. Turns the flags into Flux v1 policy changes (fluxctl's
// calculatePolicyChanges: --tag c='*' removes the filter, --unlock also drops locked_msg and locked_user,
// --tag-all covers the containers not named by --tag), validates every filter with the policy factory, and
// writes the annotations through annotate/.
import { createPolicy, PolicyError, parsePolicySpec } from '../../policies/index.js'
import {
  AnnotateError,
  annotateWorkload,
  LOCK_DETAILS,
  type PolicyEdit,
  tagPolicy,
} from '../annotate/index.js'
import { policyCommitMessage } from '../commit/index.js'
import { discover } from '../manifests/index.js'
import { closestName } from '../suggest.js'
import type { SourceFile } from './plan.js'
import { type Steering, VerbError } from './steer.js'
import { findWorkload } from './workload-find.js'

export interface PolicyRequest {
  /** Normalized `ns:kind/name`. */
  workload: string
  automate?: boolean
  deautomate?: boolean
  lock?: boolean
  unlock?: boolean
  /** Why it is locked (`locked_msg`); only with lock. */
  message?: string
  /** Who locked it (`locked_user`); only with lock. */
  user?: string
  /** `container=FILTER` pairs. */
  tags?: string[]
  tagAll?: string
  excludeTags?: string[]
}

/** Checks the flags alone (before any repository is read); returns the actions for the commit subject. */
export function checkPolicyRequest(request: PolicyRequest): string[] {
  const usage = (message: string): never => {
    throw new VerbError(message, 'usage')
  }
  if (request.automate && request.deautomate) usage('--automate and --deautomate both given: choose one')
  if (request.lock && request.unlock) usage('--lock and --unlock both given: choose one')
  if ((request.message !== undefined || request.user !== undefined) && !request.lock) {
    usage('--message and --user describe a lock: give them with --lock')
  }
  const actions = [
    ...(request.automate ? ['automate'] : []),
    ...(request.deautomate ? ['deautomate'] : []),
    ...(request.lock ? ['lock'] : []),
    ...(request.unlock ? ['unlock'] : []),
    ...tagPairs(request).map(([container, filter]) => `tag ${container}=${filter}`),
    ...(request.tagAll !== undefined ? [`tag-all ${request.tagAll}`] : []),
  ]
  if (actions.length === 0) {
    usage('nothing to do: give --automate, --deautomate, --lock, --unlock, --tag or --tag-all')
  }
  for (const [container, filter] of tagPairs(request))
    checkFilter(`--tag ${container}=${filter}`, filter, request)
  if (request.tagAll !== undefined) checkFilter(`--tag-all ${request.tagAll}`, request.tagAll, request)
  return actions
}

/** The steering of one policy request on the repository's files. */
export function policySteering(files: SourceFile[], request: PolicyRequest): Steering {
  const actions = checkPolicyRequest(request)
  const file = findWorkload(files, request.workload)
  const edit = policyEdit(request, containersOf(file, request.workload))
  let annotated: ReturnType<typeof annotateWorkload>
  try {
    annotated = annotateWorkload(file.path, file.text, request.workload, edit)
  } catch (error) {
    if (error instanceof AnnotateError) throw new VerbError(error.message, 'refused')
    throw error
  }
  const changes = annotated.changes.map((change) => ({ ...change, file: file.path }))
  if (changes.length === 0) {
    return {
      files: new Map(),
      message: '',
      summary: [`${request.workload}: already as asked, nothing to change`],
    }
  }
  return {
    files: new Map([[file.path, annotated.text]]),
    message: policyCommitMessage(request.workload, actions, changes),
    summary: changes.map(
      (change) =>
        `${change.file} ${request.workload} ${change.key}: ${change.before ?? '(none)'} → ${change.after ?? '(removed)'}`,
    ),
  }
}

function policyEdit(request: PolicyRequest, containers: string[]): PolicyEdit {
  const set = new Map<string, string>()
  const remove = new Set<string>()
  if (request.automate) set.set('automated', 'true')
  if (request.deautomate) remove.add('automated')
  if (request.lock) {
    set.set('locked', 'true')
    if (request.message !== undefined) set.set('locked_msg', request.message)
    if (request.user !== undefined) set.set('locked_user', request.user)
  }
  if (request.unlock) for (const policy of ['locked', ...LOCK_DETAILS]) remove.add(policy)
  const named = new Set<string>()
  for (const [container, filter] of tagPairs(request)) {
    if (!containers.includes(container)) {
      const hint = closestName(container, containers)
      throw new VerbError(
        `${request.workload} has no container ${container}${hint ? ` (did you mean ${hint}?)` : ''}; its containers: ${containers.join(', ') || '(none)'}`,
        'usage',
      )
    }
    named.add(container)
    // As fluxctl: `*` is the default filter, so it is written as no annotation at all.
    if (filter === '*' || filter === 'glob:*') remove.add(tagPolicy(container))
    else set.set(tagPolicy(container), filter)
  }
  if (request.tagAll !== undefined) {
    for (const container of containers.filter((name) => !named.has(name))) {
      if (request.tagAll === '*' || request.tagAll === 'glob:*') remove.add(tagPolicy(container))
      else set.set(tagPolicy(container), request.tagAll)
    }
  }
  return { set, remove }
}

/** Container names as discovery names them (workload containers, HelmRelease values paths). */
function containersOf(file: SourceFile, workload: string): string[] {
  const found = discover([file], { manual: true })
  const names = [...found.targets, ...found.skipped, ...found.problems]
    .filter((entry) => entry.workload === workload && entry.container !== undefined)
    .map((entry) => entry.container!)
  return [...new Set(names)]
}

function tagPairs(request: PolicyRequest): [string, string][] {
  return (request.tags ?? []).map((pair) => {
    const at = pair.indexOf('=')
    if (at <= 0 || at === pair.length - 1) {
      throw new VerbError(`--tag ${pair}: expected container=filter, e.g. --tag 'api=semver:~1.2'`, 'usage')
    }
    return [pair.slice(0, at), pair.slice(at + 1)]
  })
}

function checkFilter(flag: string, filter: string, request: PolicyRequest): void {
  try {
    createPolicy(parsePolicySpec(filter), { excludeTags: request.excludeTags })
  } catch (error) {
    if (error instanceof PolicyError) throw new VerbError(`${flag}: ${error.message}`, 'usage')
    throw error
  }
}
