// Loading the config for a command: a ConfigError (or a usage error) prints its lines and exits with code 2.
import { ConfigError, defaultConfig, type ImagebotConfig, loadConfig } from '../config/index.js'
import { EXIT_USAGE } from './output.js'

export class UsageError extends Error {}

export async function configFor(
  configPath: string | undefined,
  defaultDir = process.cwd(),
): Promise<ImagebotConfig> {
  const warn = (line: string) => process.stderr.write(`warning: ${line}\n`)
  return configPath ? loadConfig(configPath, process.env, warn) : defaultConfig(defaultDir, process.env)
}

/** Wraps a command action so config and usage errors become exit code 2 with a clear message. */
export function withErrors<A extends unknown[]>(action: (...args: A) => Promise<void>) {
  return async (...args: A): Promise<void> => {
    try {
      await action(...args)
    } catch (error) {
      if (error instanceof ConfigError || error instanceof UsageError) {
        process.stderr.write(`${error.message}\n`)
        process.exitCode = EXIT_USAGE
        return
      }
      throw error
    }
  }
}
