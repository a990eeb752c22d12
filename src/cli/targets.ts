// `imagebot targets <dir>`: what the bot considers automated in a checkout, before any registry call.
import { mightHoldObjects } from '../flux2/index.js'
import { NOT_AUTOMATED, readConfigDir, type TargetsReport, targetsReport } from '../manifests/index.js'
import { discoverAll } from '../run/discover.js'
import { configFor, existingDirectory, type SelectionFlags, selectionFor } from './config.js'
import { EXIT_OK, EXIT_PROBLEMS, painter, printJson, printTable, sortRows } from './output.js'

interface TargetsFlags extends SelectionFlags {
  json?: boolean
  all?: boolean
}

// Workloads whose owners asked the bot to keep off (and those never asked to be automated) are no news:
// listed with --all only. Other skips (an annotated container whose tag cannot be updated) always show.
// Markers that no ImageUpdateAutomation covers are `not automated: <why>`.
const QUIET_REASONS = new Set([NOT_AUTOMATED, 'locked', 'ignored'])

function isQuiet(reason: string): boolean {
  return QUIET_REASONS.has(reason) || reason.startsWith(`${NOT_AUTOMATED}:`)
}

export async function run([dir]: (string | undefined)[], flags: TargetsFlags): Promise<void> {
  const root = existingDirectory(dir ?? '.')
  const config = flags.config === undefined ? undefined : await configFor(flags.config)
  const selection = selectionFor(config, flags)
  // The Flux objects are read from the whole tree; paths limit which targets are listed.
  const read = await readConfigDir(root, selection, mightHoldObjects)
  const discovery = discoverAll(read.files, selection)
  discovery.problems.unshift(...read.problems)
  const report = targetsReport(discovery, { all: true })
  if (!flags.all) report.skipped = report.skipped.filter((skipped) => !isQuiet(skipped.reason))
  if (flags.json) printJson(report)
  else printTargets(report)
  process.exitCode = report.errors.some((error) => !error.severity) ? EXIT_PROBLEMS : EXIT_OK
}

function printTargets(report: TargetsReport): void {
  if (report.targets.length === 0) process.stdout.write('no automated containers found\n')
  else
    printTable(
      ['FILE', 'WORKLOAD', 'CONTAINER', 'IMAGE', 'POLICY'],
      sortRows(report.targets.map((t) => [t.file, t.workload, t.container, t.image, t.policy])),
    )
  if (report.skipped.length > 0) {
    process.stdout.write('\nskipped:\n')
    printTable(
      ['FILE', 'WORKLOAD', 'CONTAINER', 'REASON'],
      sortRows(report.skipped.map((s) => [s.file, s.workload, s.container, s.reason])),
      '  ',
    )
  }
  const paint = painter(process.stderr)
  for (const error of report.errors) {
    const label = error.severity === 'warning' ? paint('warning', 'yellow') : paint('error', 'red')
    process.stderr.write(`${label}: ${error.message}\n`)
  }
}
