// `imagebot plan`: everything `once` does but the write; what would change and why.
// Planning a directory needs no git: the cycle over configured repositories (../run/once.js, which loads
// isomorphic-git and openpgp: about 150 ms of CPU and 15 MB) and the --explain/--diff printer (the diff
// library) are imported only when this run uses them.
import { resolve } from 'node:path'
import { planDirectory } from '../run/local.js'
import { createClient } from '../run/observer.js'
import type { Plan } from '../run/plan.js'
import { hasErrors, type RunReport, repositoryReport, runReport } from '../run/report.js'
import { configFor, existingDirectory, type SelectionFlags, selectionFor } from './config.js'
import { UsageError } from './failure.js'
import { EXIT_OK, EXIT_PROBLEMS } from './output.js'
import { printRun } from './print-run.js'
import { scanProgress } from './progress.js'

interface PlanFlags extends SelectionFlags {
  json?: boolean
  diff?: boolean
  explain?: boolean
}

export async function run([dir]: (string | undefined)[], flags: PlanFlags): Promise<void> {
  if (!dir && !flags.config) throw new UsageError('plan: give a directory, or --config imagebot.yaml')
  if (dir) existingDirectory(dir)
  const config = await configFor(flags.config, dir)
  const client = createClient(config, { env: process.env })
  const onScanProgress = await scanProgress(flags.json)
  const plans: Plan[] = []
  let report: RunReport
  if (dir) {
    const plan = await planDirectory(
      dir,
      config,
      client,
      selectionFor(flags.config ? config : undefined, flags),
      onScanProgress,
    )
    plans.push(plan)
    report = runReport([repositoryReport(resolve(dir), '(working tree)', plan)])
  } else {
    const { runCycle } = await import('../run/once.js')
    const cycle = await runCycle(config, client, { dryRun: true, ...(onScanProgress && { onScanProgress }) })
    plans.push(...cycle.runs.map((run) => run.plan))
    report = cycle.report
  }
  printRun(report, flags.json)
  if (flags.explain || flags.diff) {
    const { printDiffs, printExplanations } = await import('./explain.js')
    if (flags.explain) printExplanations(plans.flatMap((plan) => plan.explanations))
    if (flags.diff) printDiffs(plans)
  }
  process.exitCode = hasErrors(report) ? EXIT_PROBLEMS : EXIT_OK
}
