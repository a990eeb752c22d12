// URLs fit for messages and logs. Imports nothing: every room may use it.

/** The URL with its user and password removed (`https://bot:token@host/r.git` → `https://host/r.git`). */
export function redactCredentials(url: string): string {
  try {
    const parsed = new URL(url)
    parsed.username = ''
    parsed.password = ''
    return parsed.toString()
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//')
  }
}
