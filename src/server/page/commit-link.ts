// Links to a bot commit on the forges whose URL shape we know.

const FORGES: Record<string, string> = {
  'github.com': '/commit/',
  'gitlab.com': '/-/commit/',
  'codeberg.org': '/commit/',
  'bitbucket.org': '/commits/',
}

/** A link to the commit when the remote is a forge we know the URL shape of; https only. */
export function commitLink(url: string, sha: string): string | undefined {
  try {
    const parsed = new URL(url)
    const suffix = FORGES[parsed.hostname.toLowerCase()]
    if (!suffix || parsed.protocol !== 'https:' || !/^[0-9a-f]{7,64}$/.test(sha)) return undefined
    return `https://${parsed.hostname}${parsed.pathname.replace(/\.git$/, '').replace(/\/$/, '')}${suffix}${sha}`
  } catch {
    return undefined
  }
}
