// Loading the config for a command. A ConfigError thrown here reaches failure.ts: its lines, exit code 2.
import { defaultConfig, type ImagebotConfig, loadConfig } from '../config/index.js'

export async function configFor(
  configPath: string | undefined,
  defaultDir = process.cwd(),
): Promise<ImagebotConfig> {
  const warn = (line: string) => process.stderr.write(`warning: ${line}\n`)
  return configPath ? loadConfig(configPath, process.env, warn) : defaultConfig(defaultDir, process.env)
}
