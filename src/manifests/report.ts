// The `imagebot targets` output: a Discovery as the --json shape, and as text lines.

import { formatPolicySpec } from '../../policies/spec.js'
import type { Discovery } from './document.js'

export interface TargetsReport {
  targets: { file: string; workload: string; container: string; image: string; policy: string }[]
  skipped: { file: string; workload: string; container: string; reason: string }[]
  /** `severity: 'warning'` marks problems that are reported but do not fail the command. */
  errors: { file: string; message: string; severity?: 'warning' }[]
}

export const NOT_AUTOMATED = 'not automated'

/** Containers of workloads without automation (and markers no automation covers) are listed only with `all`. */
export function targetsReport(discovery: Discovery, options: { all?: boolean } = {}): TargetsReport {
  return {
    targets: discovery.targets.map((target) => ({
      file: target.file,
      workload: target.workload,
      container: target.container,
      image: target.current.written,
      policy: formatPolicySpec(target.policy),
    })),
    skipped: discovery.skipped
      .filter((skipped) => options.all || !skipped.reason.startsWith(NOT_AUTOMATED))
      .map(({ file, workload, container, reason }) => ({ file, workload, container, reason })),
    errors: discovery.problems.map((problem) => ({
      file: problem.file ?? '',
      message: problem.message,
      ...(problem.severity === 'warning' && { severity: 'warning' as const }),
    })),
  }
}
