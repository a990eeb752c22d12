// The JSON report of `plan` and `once`: per repository, the updates, the skipped containers and the errors.
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

export interface RepositoryReport {
  url: string
  branch: string
  /** The pushed commit (`once` only). */
  commit?: string
  updates: PlannedUpdate[]
  skipped: Skipped[]
  errors: ReportedError[]
}

export interface RunReport {
  repositories: RepositoryReport[]
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
    updates: plan?.updates ?? [],
    skipped: plan?.skipped ?? [],
    errors: [...(plan?.errors ?? []), ...errors].map(reportedError),
  }
  return report
}

/** An error names its file or, for registry errors, its image: whichever applies. */
function reportedError(problem: Problem): ReportedError {
  const warning = problem.severity === 'warning' ? { severity: 'warning' as const } : {}
  if (problem.file !== undefined) return { file: problem.file, message: problem.message, ...warning }
  if (problem.image !== undefined) return { image: problem.image, message: problem.message, ...warning }
  return { message: problem.message, ...warning }
}

export function hasErrors(report: RunReport): boolean {
  return report.repositories.some((repository) => repository.errors.some((error) => !error.severity))
}
