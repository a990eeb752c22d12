// Loading the config for a command, and choosing which files of a local checkout it covers. A ConfigError
// thrown here reaches failure.ts: its lines, exit code 2.
import { statSync } from 'node:fs'
import type { ImagebotConfig } from '../config/index.js'
import { UsageError } from './failure.js'

export async function configFor(
  configPath: string | undefined,
  defaultDir = process.cwd(),
): Promise<ImagebotConfig> {
  // Loaded here, not at the top: the schema (zod) costs about 0.2 s of start-up, which `targets <dir>`
  // without --config never needs (measured: node importing dist/src/config/index.js 0.28 s, bare node 0.10 s).
  const { defaultConfig, loadConfig } = await import('../config/index.js')
  const warn = (line: string) => process.stderr.write(`warning: ${line}\n`)
  return configPath ? loadConfig(configPath, process.env, warn) : defaultConfig(defaultDir, process.env)
}

export interface SelectionFlags {
  config?: string
  repo?: string
  path?: string[]
  namespace?: string[]
}

/** Which files and namespaces of a checkout count, as `once` would see them. */
export interface Selection {
  paths?: string[]
  namespaces?: string[]
}

/**
 * For a local checkout: --path and --namespace when given, else the `paths` and `namespaces` of the config's
 * repository (the only one, or the one --repo names), so `plan <dir>` and `targets <dir>` show what
 * `once` would do.
 */
export function selectionFor(config: ImagebotConfig | undefined, flags: SelectionFlags): Selection {
  const entry = config ? repositoryEntry(config, flags) : undefined
  const paths = flags.path ?? entry?.paths
  const namespaces = flags.namespace ?? entry?.namespaces
  return { ...(paths && { paths }), ...(namespaces && { namespaces }) }
}

function repositoryEntry(config: ImagebotConfig, flags: SelectionFlags) {
  const { repositories } = config
  if (flags.repo !== undefined) {
    const named = repositories.find((repository) => repository.url === flags.repo)
    if (!named) throw new UsageError(`--repo ${flags.repo}: not in ${flags.config}; ${listed(config)}`)
    return named
  }
  if (repositories.length <= 1) return repositories[0]
  throw new UsageError(
    `${flags.config} lists ${repositories.length} repositories: say which one the directory is a checkout of with --repo URL; ${listed(config)}`,
  )
}

function listed(config: ImagebotConfig): string {
  const urls = config.repositories.map((repository) => repository.url)
  return urls.length === 0 ? 'it lists no repositories' : `it lists ${urls.join(', ')}`
}

/** A directory argument that does not exist is a usage mistake: say so in one line. */
export function existingDirectory(dir: string): string {
  let isDirectory: boolean
  try {
    isDirectory = statSync(dir).isDirectory()
  } catch {
    throw new UsageError(`${dir}: no such directory; give a checkout of the config repository`)
  }
  if (!isDirectory) throw new UsageError(`${dir}: not a directory; give a checkout of the config repository`)
  return dir
}
