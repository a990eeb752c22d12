// `imagebot once`: one full cycle for every configured repository, committed and pushed.
import { createClient } from '../run/observer.js'
import { runCycle } from '../run/once.js'
import { hasErrors } from '../run/report.js'
import { configFor } from './config.js'
import { EXIT_OK, EXIT_PROBLEMS } from './output.js'
import { printRun } from './print-run.js'
import { scanProgress } from './progress.js'

interface OnceFlags {
  config: string
  json?: boolean
}

export async function run(_args: unknown[], flags: OnceFlags): Promise<void> {
  const config = await configFor(flags.config)
  const onScanProgress = await scanProgress(flags.json)
  const cycle = await runCycle(config, createClient(config, { env: process.env }), {
    ...(onScanProgress && { onScanProgress }),
  })
  printRun(cycle.report, flags.json)
  process.exitCode = hasErrors(cycle.report) ? EXIT_PROBLEMS : EXIT_OK
}
