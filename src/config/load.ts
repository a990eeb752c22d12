// Reads imagebot.yaml: YAML → ${VAR} expansion → schema → absolute paths and REDIS_URL. Every problem found
// is collected into one ConfigError so a user fixes the file in one pass.
import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { parseDocument } from 'yaml'
import { expandEnv, pathKey } from './expand.js'
import {
  ConfigError,
  type ConfigIssue,
  defaultMessages,
  formatIssue,
  formatPath,
  fromZodIssues,
} from './issues.js'
import { configSchema, type ImagebotConfig } from './schema.js'
import { hasUrlCredentials, MOVED_CREDENTIALS_WARNING } from './url-credentials.js'

/** The one environment variable read besides `${VAR}` references: enables Redis when `redis` is absent. */
export const REDIS_URL_ENV = 'REDIS_URL'

/** A line such as `imagebot.yaml: repositories[0].url: credentials moved …`: the config loaded, but say it. */
export type ConfigWarningListener = (line: string) => void

export async function loadConfig(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
  onWarning?: ConfigWarningListener,
): Promise<ImagebotConfig> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)
    throw new ConfigError([
      { file: path, path: '', message: `cannot read the config file (${reason}); see imagebot.example.yaml` },
    ])
  }
  return parseConfig(text, path, dirname(resolve(path)), env, onWarning)
}

/** No config file (`imagebot plan <dir>`): no repositories, default registries, state under dir. */
export function defaultConfig(dir: string, env: NodeJS.ProcessEnv = process.env): ImagebotConfig {
  return parseConfig('{}', '(defaults)', resolve(dir), env)
}

export function parseConfig(
  text: string,
  fileName: string,
  baseDir: string,
  env: NodeJS.ProcessEnv = process.env,
  onWarning?: ConfigWarningListener,
): ImagebotConfig {
  const raw = parseYaml(text, fileName)
  const expansion = expandEnv(raw, env)
  const issues: ConfigIssue[] = expansion.issues.map((issue) => ({
    file: fileName,
    path: formatPath(issue.path),
    message: issue.message,
  }))
  const parsed = configSchema.safeParse(expansion.value, { error: defaultMessages })
  if (!parsed.success) {
    // A value whose ${VAR} could not be expanded was already reported; its schema check would only repeat it.
    const schemaIssues = parsed.error.issues.filter((issue) => !expansion.unresolved.has(pathKey(issue.path)))
    issues.push(...fromZodIssues(fileName, schemaIssues, expansion.value))
  }
  if (issues.length > 0 || !parsed.success) throw new ConfigError(issues)
  for (const warning of warningsOf(expansion.value, fileName)) onWarning?.(warning)
  return finish(parsed.data, fileName, baseDir, env)
}

/** What loaded but deserves a word: today, credentials moved out of git URLs. */
function warningsOf(value: unknown, fileName: string): string[] {
  const repositories = (value as { repositories?: unknown }).repositories
  if (!Array.isArray(repositories)) return []
  return repositories.flatMap((entry, index) => {
    const url = (entry as { url?: unknown } | null)?.url
    if (typeof url !== 'string' || !hasUrlCredentials(url)) return []
    return [
      formatIssue({ file: fileName, path: `repositories[${index}].url`, message: MOVED_CREDENTIALS_WARNING }),
    ]
  })
}

function parseYaml(text: string, fileName: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true })
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((error) => ({
        file: fileName,
        path: '',
        message: `YAML syntax error: ${firstLine(error.message)}`,
        line: error.linePos?.[0].line,
        col: error.linePos?.[0].col,
      })),
    )
  }
  try {
    return doc.toJS({ maxAliasCount: 1000 }) ?? {}
  } catch (error) {
    throw new ConfigError([{ file: fileName, path: '', message: `YAML error: ${(error as Error).message}` }])
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
}

function finish(
  config: ImagebotConfig,
  fileName: string,
  baseDir: string,
  env: NodeJS.ProcessEnv,
): ImagebotConfig {
  const home = env.HOME || homedir()
  const result: ImagebotConfig = {
    ...config,
    stateDir: absolutePath(config.stateDir, baseDir, home),
    repositories: config.repositories.map((repository, index) => {
      const signingKey = repository.commit.signingKey
      if (signingKey === undefined) return repository
      const read = (file: string, key: string) =>
        readSecretFile(absolutePath(file, baseDir, home), fileName, key)
      const where = `repositories[${index}].commit.signingKey`
      const key = signingKey.key ?? read(signingKey.keyFile!, `${where}.keyFile`)
      const passphrase =
        signingKey.passphrase ??
        (signingKey.passphraseFile === undefined
          ? undefined
          : read(signingKey.passphraseFile, `${where}.passphraseFile`).replace(/\r?\n$/, ''))
      const commit = {
        ...repository.commit,
        signingKey: passphrase === undefined ? { key } : { key, passphrase },
      }
      return { ...repository, commit }
    }),
  }
  if (config.dockerConfig !== undefined)
    result.dockerConfig = absolutePath(config.dockerConfig, baseDir, home)
  if (config.redis === undefined && env[REDIS_URL_ENV])
    result.redis = redisFromEnv(env[REDIS_URL_ENV], fileName)
  return result
}

function redisFromEnv(url: string, fileName: string): { url: string } {
  if (!/^rediss?:\/\/\S+$/.test(url)) {
    throw new ConfigError([
      {
        file: fileName,
        path: 'redis',
        message: `environment variable ${REDIS_URL_ENV} is not a redis:// URL`,
      },
    ])
  }
  return { url }
}

/** `~` is the user's home; other relative paths are relative to the config file's folder. */
function absolutePath(path: string, baseDir: string, home: string): string {
  if (path === '~') return home
  if (path.startsWith('~/')) return join(home, path.slice(2))
  return isAbsolute(path) ? path : resolve(baseDir, path)
}

/** A key or passphrase file, read once at load; an unreadable one is a config error naming the key, not the text. */
function readSecretFile(path: string, fileName: string, key: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable'
    throw new ConfigError([{ file: fileName, path: key, message: `cannot read ${path} (${code})` }])
  }
}
