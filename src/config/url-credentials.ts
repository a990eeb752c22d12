// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the config file's own syntax, not a template
// Credentials written in a git URL (`https://bot:${GIT_TOKEN}@git.example/r.git`) are moved out of it into
// `auth`, so the URL that logs, errors and the clone's config show never holds a secret. The loader warns,
// since a secret in the file itself is better kept in `${VAR}` under `auth`.

export interface SplitUrl {
  /** The URL without its user and password. */
  url: string
  auth?: { username: string; password: string }
}

export function hasUrlCredentials(url: string): boolean {
  return /^\w+:\/\/[^/]*@/.test(url)
}

export function splitUrlCredentials(url: string): SplitUrl {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { url }
  }
  if (!parsed.username && !parsed.password) return { url }
  const auth = {
    username: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  }
  parsed.username = ''
  parsed.password = ''
  return { url: parsed.toString(), auth }
}

/** The warning for `repositories[i].url`, naming no secret. */
export const MOVED_CREDENTIALS_WARNING =
  'credentials moved out of the URL into auth (never stored in the clone or logged); write them as auth: { username, password: "${GIT_TOKEN}" } to keep the secret out of this file'
