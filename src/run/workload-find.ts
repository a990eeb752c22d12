// Finding the workload a manual verb names (`ns:kind/name`, Flux v1 ids) among the config repo's files, with a
// "did you mean" when it is not there.
import { parseDocuments, workloadsIn } from '../annotate/index.js'
import { closestName } from '../suggest.js'
import type { SourceFile } from './plan.js'
import { VerbError } from './steer.js'

const ID = /^(?:([^:/\s]+):)?([^:/\s]+)\/([^:/\s]+)$/

/** `kind/name` means the `default` namespace, as in fluxctl; the kind is case-insensitive. */
export function normalizeWorkloadId(text: string): string {
  const match = ID.exec(text.trim())
  if (!match)
    throw new VerbError(
      `--workload ${text}: expected namespace:kind/name, e.g. default:deployment/api`,
      'usage',
    )
  const [, namespace, kind, name] = match
  return `${namespace ?? 'default'}:${kind!.toLowerCase()}/${name}`
}

/** The one file defining `id`; a missing or twice-defined workload is a usage error. */
export function findWorkload(files: SourceFile[], id: string): SourceFile {
  const name = id.slice(id.indexOf('/') + 1)
  // Only files that mention the name can define it; the rest are never parsed.
  const defining = files.filter(
    (file) => file.text.includes(name) && workloadsIn(parseDocuments(file.text)).some((w) => w.id === id),
  )
  if (defining.length === 1) return defining[0]!
  if (defining.length > 1) {
    throw new VerbError(
      `${id} is defined in ${defining.length} files: ${defining.map((f) => f.path).join(', ')}`,
      'usage',
    )
  }
  const known = files.flatMap((file) => workloadsIn(parseDocuments(file.text)).map((workload) => workload.id))
  const sameName = known.filter((other) => other.endsWith(`/${name}`))
  const hint = closestName(id, known, 3) ?? (sameName.length === 1 ? sameName[0] : undefined)
  throw new VerbError(`no workload ${id} in the repository${hint ? ` (did you mean ${hint}?)` : ''}`, 'usage')
}
