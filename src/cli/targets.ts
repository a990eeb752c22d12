// `imagebot targets <dir>`: what the bot considers automated in a checkout, before any registry call.
import { discover, formatTargetsReport, readConfigDir, targetsReport } from '../manifests/index.js'
import { EXIT_OK, EXIT_PROBLEMS, printJson } from './output.js'

interface TargetsFlags {
  json?: boolean
  all?: boolean
  path?: string[]
  namespace?: string[]
}

export async function run([dir]: (string | undefined)[], flags: TargetsFlags): Promise<void> {
  const selection = { paths: flags.path, namespaces: flags.namespace }
  const read = await readConfigDir(dir ?? '.', selection)
  const discovery = discover(read.files, selection)
  discovery.problems.unshift(...read.problems)
  const report = targetsReport(discovery, { all: flags.all })
  if (flags.json) printJson(report)
  else process.stdout.write(`${formatTargetsReport(report)}\n`)
  process.exitCode = report.errors.length > 0 ? EXIT_PROBLEMS : EXIT_OK
}
