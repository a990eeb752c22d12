// Shared by the verbs that write (`policy`, `release`): on a local directory (the diff, and the files with
// --write) or on a configured repository (one commit pushed, or the diff with --dry-run). A wrong argument
// exits 2, a refusal (locked, cannot edit safely) exits 1 with the reason.
import { createPatch } from 'diff'
import type { ImagebotConfig, RepositoryConfig } from '../config/index.js'
import {
  chooseRepository,
  type Steer,
  type SteerOutcome,
  steerDirectory,
  steerRepository,
  VerbError,
} from '../run/steer.js'
import { configFor } from './config.js'
import { UsageError } from './failure.js'
import { EXIT_OK, EXIT_PROBLEMS, printJson } from './output.js'

export interface SteerFlags {
  config?: string
  repo?: string
  dryRun?: boolean
  write?: boolean
  json?: boolean
}

export async function runSteer(
  dir: string | undefined,
  flags: SteerFlags,
  steer: (config: ImagebotConfig, repository?: RepositoryConfig) => Steer,
): Promise<void> {
  if (!dir && !flags.config) throw new UsageError('give a directory, or --config imagebot.yaml')
  if (dir && flags.repo)
    throw new UsageError('--repo chooses a configured repository: give it without a directory')
  if (flags.write && !dir)
    throw new UsageError('--write saves files in a local directory: give the directory')
  const config = await configFor(flags.config, dir)
  let outcome: SteerOutcome
  try {
    outcome = dir
      ? await steerDirectory(dir, steer(config), flags.write === true)
      : await steerRepository(
          config,
          chooseRepository(config, flags.repo),
          steer(config),
          flags.dryRun === true,
        )
  } catch (error) {
    if (!(error instanceof VerbError)) throw error
    if (error.kind === 'usage') throw new UsageError(error.message)
    process.stderr.write(`imagebot: ${error.message}\n`)
    process.exitCode = EXIT_PROBLEMS
    return
  }
  printOutcome(outcome, flags, dir !== undefined)
  process.exitCode = outcome.problems.length > 0 ? EXIT_PROBLEMS : EXIT_OK
}

function printOutcome(outcome: SteerOutcome, flags: SteerFlags, local: boolean): void {
  const { steering, originals } = outcome
  const diffs = [...steering.files].map(([file, text]) =>
    createPatch(file, originals.get(file) ?? '', text, '', '', { context: 3 }),
  )
  if (flags.json) {
    printJson({
      changes: steering.summary,
      files: [...steering.files.keys()],
      ...(outcome.commit !== undefined && { commit: outcome.commit }),
      ...(outcome.commit === undefined && steering.files.size > 0 && { diff: diffs.join('') }),
      errors: outcome.problems.map((problem) => problem.message),
    })
    return
  }
  for (const line of steering.summary) process.stdout.write(`${line}\n`)
  if (outcome.commit !== undefined) process.stdout.write(`committed and pushed ${outcome.commit}\n`)
  else if (steering.files.size > 0) {
    process.stdout.write(
      local && flags.write ? 'written:\n' : 'not committed (dry run or local directory):\n',
    )
    for (const diff of diffs) process.stdout.write(diff)
  }
  for (const problem of outcome.problems) process.stderr.write(`error: ${problem.message}\n`)
}

/** Runs a check of the arguments alone, before any repository is read: its VerbError is a usage error. */
export function checkArguments<T>(check: () => T): T {
  try {
    return check()
  } catch (error) {
    if (error instanceof VerbError) throw new UsageError(error.message)
    throw error
  }
}
