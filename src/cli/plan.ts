// `imagebot plan` (everything but the write) and `imagebot once` (one full cycle, committed and pushed).
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { createPatch } from 'diff'
import { planDirectory } from '../run/local.js'
import { createClient } from '../run/observer.js'
import { runCycle } from '../run/once.js'
import type { Explanation, Plan } from '../run/plan.js'
import { hasErrors, type RunReport, repositoryReport } from '../run/report.js'
import { configFor, UsageError, withErrors } from './config.js'
import { EXIT_OK, EXIT_PROBLEMS, printJson, printTable } from './output.js'

interface RunFlags {
  config?: string
  json?: boolean
  diff?: boolean
  explain?: boolean
}

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('fetch, decide and rewrite in memory: show what `once` would commit, and why')
    .argument('[dir]', 'a local checkout to plan on instead of the configured repositories')
    .option('--config <file>', 'imagebot.yaml (repositories, registries)')
    .option('--json', 'print JSON: {repositories: [{url, branch, updates, skipped, errors}]}')
    .option('--diff', 'print the unified diff of every file that would change')
    .option('--explain', 'print the decision behind every automated container')
    .action(
      withErrors(async (dir: string | undefined, flags: RunFlags) => {
        if (!dir && !flags.config) throw new UsageError('plan: give a directory, or --config imagebot.yaml')
        const config = await configFor(flags.config, dir)
        const client = createClient(config, { env: process.env })
        const plans: Plan[] = []
        let report: RunReport
        if (dir) {
          const plan = await planDirectory(dir, config, client)
          plans.push(plan)
          report = { repositories: [repositoryReport(resolve(dir), '(working tree)', plan)] }
        } else {
          const cycle = await runCycle(config, client, { dryRun: true })
          plans.push(...cycle.runs.map((run) => run.plan))
          report = cycle.report
        }
        printRun(report, flags)
        if (flags.explain) printExplanations(plans.flatMap((plan) => plan.explanations))
        if (flags.diff) printDiffs(plans)
        process.exitCode = hasErrors(report) ? EXIT_PROBLEMS : EXIT_OK
      }),
    )
}

export function registerOnce(program: Command): void {
  program
    .command('once')
    .description(
      'run one full cycle for every configured repository: fetch, decide, rewrite, commit and push',
    )
    .requiredOption('--config <file>', 'imagebot.yaml')
    .option('--json', 'print JSON: {repositories: [{url, branch, commit, updates, skipped, errors}]}')
    .action(
      withErrors(async (flags: RunFlags) => {
        const config = await configFor(flags.config)
        const cycle = await runCycle(config, createClient(config, { env: process.env }))
        printRun(cycle.report, flags)
        process.exitCode = hasErrors(cycle.report) ? EXIT_PROBLEMS : EXIT_OK
      }),
    )
}

function printRun(report: RunReport, flags: RunFlags): void {
  if (flags.json) {
    printJson(report)
    return
  }
  for (const repository of report.repositories) {
    process.stdout.write(
      `${repository.url} (${repository.branch})${repository.commit ? ` → ${repository.commit}` : ''}\n`,
    )
    if (repository.updates.length === 0) process.stdout.write('  no updates\n')
    else
      printTable(
        ['  FILE', 'WORKLOAD', 'CONTAINER', 'CURRENT', 'NEXT', 'POLICY'],
        repository.updates.map((u) => [`  ${u.file}`, u.workload, u.container, u.current, u.next, u.policy]),
      )
    for (const skipped of repository.skipped) {
      process.stdout.write(
        `  skipped ${skipped.file} ${skipped.workload} ${skipped.container}: ${skipped.reason}\n`,
      )
    }
    for (const error of repository.errors) {
      process.stderr.write(`  error ${error.file ?? error.image ?? ''}: ${error.message}\n`)
    }
  }
}

function printExplanations(explanations: Explanation[]): void {
  process.stdout.write('\n')
  for (const e of explanations) {
    process.stdout.write(`${e.file} ${e.workload} ${e.container} [${e.policy}] ${e.current}: ${e.reason}\n`)
  }
}

function printDiffs(plans: Plan[]): void {
  for (const plan of plans) {
    for (const [file, update] of plan.result.files) {
      process.stdout.write(
        createPatch(file, plan.originals.get(file) ?? '', update.text, '', '', { context: 3 }),
      )
    }
  }
}
