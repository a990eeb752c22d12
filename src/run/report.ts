// The JSON report of `plan` and `once`: per repository, the updates, the skipped containers and the errors,
// and the outcome. `partial` (the repository was synced and everything that could be pushed was pushed, but
// some files or images failed) is distinct from `error` (nothing could be done: the repository could not be
// read, or the push failed), so one unreachable image does not make every run look failed.
import type { Problem } from '../problems.js'
import type { Skipped } from '../types.js'
import type { Plan, PlannedUpdate } from './plan.js'

export interface ReportedError {
  file?: string
  image?: string
  message: string
  /** Present on warnings only: reported, but they do not fail the run (exit code 0). */
  severity?: 'warning'
}

export type RunOutcome = 'ok' | 'partial' | 'error'

export interface RepositoryReport {
  url: string
  branch: string
  outcome: RunOutcome
  /** The pushed commit (`once` only); the last one when several branches were pushed. */
  commit?: string
  /** Every push (`once` only): one per branch pushed, as ImageUpdateAutomations may push several. */
  pushes?: { branch: string; commit: string }[]
  updates: PlannedUpdate[]
  skipped: Skipped[]
  errors: ReportedError[]
}

export interface RunReport {
  /** `ok` when every repository is ok, `error` when every one failed, else `partial`. */
  outcome: RunOutcome
  repositories: RepositoryReport[]
}

/**
 * `plan` undefined: the repository could not be read. `repositoryErrors`: its own failures (fetch, push),
 * which leave nothing done; the plan's errors (a file, an image) leave the rest done.
 */
export function repositoryOutcome(
  plan: Pick<Plan, 'errors'> | undefined,
  repositoryErrors: unknown[],
): RunOutcome {
  if (plan === undefined || repositoryErrors.length > 0) return 'error'
  // Warnings are reported but fail nothing.
  return plan.errors.some((problem) => problem.severity !== 'warning') ? 'partial' : 'ok'
}

export function runReport(repositories: RepositoryReport[]): RunReport {
  const outcomes = new Set(repositories.map((repository) => repository.outcome))
  const outcome: RunOutcome =
    outcomes.size === 0 || (outcomes.size === 1 && outcomes.has('ok'))
      ? 'ok'
      : outcomes.size === 1 && outcomes.has('error')
        ? 'error'
        : 'partial'
  return { outcome, repositories }
}

export function repositoryReport(
  url: string,
  branch: string,
  plan: Plan | undefined,
  errors: Problem[] = [],
) {
  const report: RepositoryReport = {
    url,
    branch,
    outcome: repositoryOutcome(plan, errors),
    updates: plan?.updates ?? [],
    skipped: plan?.skipped ?? [],
    errors: [...(plan?.errors ?? []), ...errors].map(reportedError),
  }
  return report
}

// Messages written for the daemon promise a retry; a one-shot run retries nothing, so its report does not say so.
const RETRY_PROMISE = /; will retry(?: on the next scan)?$/

/** An error names its file or, for registry errors, its image: whichever applies. */
function reportedError(input: Problem): ReportedError {
  const problem = { ...input, message: input.message.replace(RETRY_PROMISE, '') }
  const warning = problem.severity === 'warning' ? { severity: 'warning' as const } : {}
  if (problem.file !== undefined) return { file: problem.file, message: problem.message, ...warning }
  if (problem.image !== undefined) return { image: problem.image, message: problem.message, ...warning }
  return { message: problem.message, ...warning }
}

export function hasErrors(report: RunReport): boolean {
  return report.outcome !== 'ok'
}
