// Which images a webhook is about. A registry names itself by the host it is reached at, which for an
// endpoint override or a mirror is not the host written in the manifests: `hostAliases` maps it back to every
// host that endpoint serves, so the hint finds the images it is about whichever host they are written under.
import { parseImageRef, repositoryKey } from '../image/reference.js'

/** Canonical keys of the repositories a webhook named; unparsable names are kept aside. */
export function canonicalImages(
  repositories: string[],
  hostAliases: Record<string, string[]> = {},
): { keys: string[]; invalid: string[] } {
  const keys = new Set<string>()
  const invalid: string[] = []
  for (const repository of repositories) {
    try {
      const ref = parseImageRef(repository)
      const aliases = ref.domain === undefined ? undefined : hostAliases[ref.domain.toLowerCase()]
      if (aliases === undefined || aliases.length === 0) keys.add(repositoryKey(ref))
      for (const host of aliases ?? []) keys.add(repositoryKey(parseImageRef(`${host}/${ref.path}`)))
    } catch {
      invalid.push(repository)
    }
  }
  return { keys: [...keys], invalid }
}
