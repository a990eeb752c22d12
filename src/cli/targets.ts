// `imagebot targets <dir>`: what the bot considers automated in a checkout, before any registry call.
import type { Command } from 'commander'
import { discover, formatTargetsReport, readConfigDir, targetsReport } from '../manifests/index.js'
import { EXIT_OK, EXIT_PROBLEMS, printJson } from './output.js'

interface TargetsFlags {
  json?: boolean
  all?: boolean
  path?: string[]
  namespace?: string[]
}

export function registerTargets(program: Command): void {
  program
    .command('targets')
    .description(
      'list every automated container in a directory tree, with its file, workload, image and policy',
    )
    .argument('<dir>', 'a checkout of the config repository')
    .option('--json', 'print JSON: {targets, skipped, errors}')
    .option('--all', 'also list skipped containers (not automated, locked, ignored) with the reasons')
    .option('--path <prefix...>', 'only files under these path prefixes (like Flux --git-path)')
    .option('--namespace <ns...>', 'only workloads in these namespaces')
    .action(async (dir: string, flags: TargetsFlags) => {
      const selection = { paths: flags.path, namespaces: flags.namespace }
      const read = await readConfigDir(dir, selection)
      const discovery = discover(read.files, selection)
      discovery.problems.unshift(...read.problems)
      const report = targetsReport(discovery, { all: flags.all })
      if (flags.json) printJson(report)
      else process.stdout.write(`${formatTargetsReport(report)}\n`)
      process.exitCode = report.errors.length > 0 ? EXIT_PROBLEMS : EXIT_OK
    })
}
