// The write path of the manual verbs (`policy`, `release`): read the config repo's YAML files, let the verb
// compute new file contents, and either show the diff (a local directory, --dry-run) or make one commit pushed
// like `once` does. A rejected push means the branch moved: the verb recomputes on the new head, because the
// human change may have touched the same workload.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { withCiSkip } from '../commit/index.js'
import type { ImagebotConfig, RepositoryConfig } from '../config/index.js'
import { GitError } from '../git/index.js'
import { DEFAULT_MAX_FILE_BYTES, readConfigDir } from '../manifests/index.js'
import type { Problem } from '../problems.js'
import { openCheckout, repositorySettings } from './once.js'
import type { SourceFile } from './plan.js'

/** A mistake in the verb's arguments (exit 2), or a refusal the user can override or fix (exit 1). */
export class VerbError extends Error {
  constructor(
    message: string,
    readonly kind: 'usage' | 'refused',
  ) {
    super(message)
    this.name = 'VerbError'
  }
}

/** What a verb wants written: new file contents and the commit message. */
export interface Steering {
  /** Path → new text, only files that change. */
  files: Map<string, string>
  message: string
  /** One line per change, for the terminal. */
  summary: string[]
}

export type Steer = (files: SourceFile[]) => Promise<Steering> | Steering

export interface SteerOutcome {
  steering: Steering
  /** The old text of each changed file, for the diff. */
  originals: Map<string, string>
  /** The pushed commit, when one was made. */
  commit?: string
  /** Problems met while reading (a file too large or not UTF-8). */
  problems: Problem[]
}

const YAML_FILE = /\.ya?ml$/i
const PUSH_ATTEMPTS = 4

/** The repository a verb acts on: `--repo URL`, or the only one configured. */
export function chooseRepository(config: ImagebotConfig, url: string | undefined): RepositoryConfig {
  const urls = config.repositories.map((repository) => repository.url)
  if (url !== undefined) {
    const found = config.repositories.find((repository) => repository.url === url)
    if (found) return found
    throw new VerbError(
      `--repo ${url} is not in the config; configured: ${urls.join(', ') || '(none)'}`,
      'usage',
    )
  }
  if (config.repositories.length === 1) return config.repositories[0]!
  if (config.repositories.length === 0) throw new VerbError('the config has no repositories', 'usage')
  throw new VerbError(
    `the config has ${urls.length} repositories: choose one with --repo (${urls.join(', ')})`,
    'usage',
  )
}

/** A local checkout: computes the change and, with `write`, saves the files in place (no git involved). */
export async function steerDirectory(dir: string, steer: Steer, write: boolean): Promise<SteerOutcome> {
  const read = await readConfigDir(dir, { manual: true })
  const files = read.files.filter((file) => YAML_FILE.test(file.path))
  const steering = await steer(files)
  const originals = originalsOf(files, steering)
  if (write) {
    for (const [path, text] of steering.files) await writeFile(join(dir, path), text)
  }
  return { steering, originals, problems: read.problems }
}

/** A configured repository: one commit on its head, pushed (never forced), unless `dryRun`. */
export async function steerRepository(
  config: ImagebotConfig,
  repository: RepositoryConfig,
  steer: Steer,
  dryRun: boolean,
): Promise<SteerOutcome> {
  const checkout = await openCheckout(config, repository)
  const settings = repositorySettings(config, repository)
  for (let attempt = 1; attempt <= PUSH_ATTEMPTS; attempt++) {
    const head = await checkout.sync()
    const problems: Problem[] = []
    const files = await checkout.readFiles(head, {
      ...(settings.paths && { prefixes: settings.paths }),
      screen: (path) => YAML_FILE.test(path),
      maxBytes: DEFAULT_MAX_FILE_BYTES,
      onSkip: (file, why) => {
        if (YAML_FILE.test(file))
          problems.push({ code: 'FILE_READ', file, message: `${file}: not read (${why})` })
      },
    })
    const steering = await steer(files)
    const outcome: SteerOutcome = { steering, originals: originalsOf(files, steering), problems }
    if (dryRun || steering.files.size === 0) return outcome
    const message = withCiSkip(steering.message, settings.ciSkip)
    const commit = await checkout.commitFiles(
      head,
      steering.files,
      settings.author,
      message,
      await settings.signer,
    )
    if (commit === null) return outcome
    if ((await checkout.push(commit)).ok) return { ...outcome, commit }
  }
  throw new GitError('server', `${repository.url}: push was rejected ${PUSH_ATTEMPTS} times; try again`, {
    transient: true,
    url: repository.url,
  })
}

function originalsOf(files: SourceFile[], steering: Steering): Map<string, string> {
  const byPath = new Map(files.map((file) => [file.path, file.text]))
  return new Map([...steering.files.keys()].map((path) => [path, byPath.get(path) ?? '']))
}
