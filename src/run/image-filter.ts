// Flux v1's --registry-include-image / --registry-exclude-image as config (scan.includeImages, scan.excludeImages):
// images never (or only) scanned and updated. The glob is Flux v1's: `*` matches any run of characters, `/`
// included, everything else is literal. It is tried against the canonical name (`docker.io/library/nginx`,
// as Flux v1 did) and against the name as written (`nginx`), so either spelling works.
import { repositoryKey, writtenName } from '../image/reference.js'
import type { Skipped, Target } from '../types.js'

export interface ImageFilter {
  includeImages?: readonly string[]
  excludeImages?: readonly string[]
}

/** Splits targets into those to scan and those skipped with the rule that excluded them. */
export function filterImages(targets: Target[], filter: ImageFilter): { kept: Target[]; skipped: Skipped[] } {
  const include = (filter.includeImages ?? []).map((glob) => ({ glob, test: compileGlob(glob) }))
  const exclude = (filter.excludeImages ?? []).map((glob) => ({ glob, test: compileGlob(glob) }))
  if (include.length === 0 && exclude.length === 0) return { kept: targets, skipped: [] }
  const kept: Target[] = []
  const skipped: Skipped[] = []
  for (const target of targets) {
    const names = [repositoryKey(target.current), writtenName(target.current)]
    const excluded = exclude.find((rule) => names.some((name) => rule.test(name)))
    const reason = excluded
      ? `image excluded by scan.excludeImages "${excluded.glob}"`
      : include.length > 0 && !include.some((rule) => names.some((name) => rule.test(name)))
        ? `image not in scan.includeImages (${include.map((rule) => rule.glob).join(', ')})`
        : undefined
    if (reason === undefined) kept.push(target)
    else skipped.push({ file: target.file, workload: target.workload, container: target.container, reason })
  }
  return { kept, skipped }
}

function compileGlob(glob: string): (name: string) => boolean {
  const source = glob
    .split('*')
    .map((part) => part.replace(/[\\^$.|?+()[\]{}]/g, '\\$&'))
    .join('.*')
  const pattern = new RegExp(`^${source}$`)
  return (name) => pattern.test(name)
}
