// What a commit message is made of, derived once from the UpdateResult: the Flux v1 style subject, one line per
// change, and the trailers review tooling parses.
import type { Change, UpdateResult } from '../types.js'

export interface ChangeEntry extends Change {
  file: string
}

export interface MessageData {
  /** `Auto-release <newRef>` or `Auto-release multiple (N) images`. */
  subject: string
  /** Unique new image references. */
  count: number
  /** Unique new image references, sorted. */
  images: string[]
  /** Unique workload ids, sorted. */
  workloads: string[]
  files: string[]
  /** In file order, then in the order the rewrite reported them. */
  changes: ChangeEntry[]
}

export const IMAGE_TRAILER = 'Imagebot-Image'
export const WORKLOAD_TRAILER = 'Imagebot-Workload'

export function messageData(result: UpdateResult): MessageData {
  const changes: ChangeEntry[] = []
  for (const [file, update] of result.files) {
    for (const change of update.changes) changes.push({ ...change, file })
  }
  if (changes.length === 0) throw new Error('no changes to describe: a commit needs at least one change')
  const images = unique(changes.map((change) => change.newRef))
  const workloads = unique(changes.map((change) => change.workload))
  const files = [...new Set(changes.map((change) => change.file))]
  const subject =
    images.length === 1 ? `Auto-release ${images[0]}` : `Auto-release multiple (${images.length}) images`
  return { subject, count: images.length, images, workloads, files, changes }
}

/** `- apps/api.yaml: prod:deployment/api (api): ghcr.io/a/api:1.0 → ghcr.io/a/api:1.1 [semver:^1]` */
export function changeLine(change: ChangeEntry): string {
  const field = change.field === 'image' ? '' : ` ${change.field}`
  return (
    `- ${oneLine(change.file)}: ${oneLine(change.workload)} (${oneLine(change.container)}${oneLine(field)}): ` +
    `${oneLine(change.oldRef)} → ${oneLine(change.newRef)} [${oneLine(change.policy)}]`
  )
}

/** git interpret-trailers format: `Key: value`, one per line, values on one line. */
export function trailerLines(data: MessageData): string[] {
  return [
    ...data.images.map((image) => `${IMAGE_TRAILER}: ${oneLine(image)}`),
    ...data.workloads.map((workload) => `${WORKLOAD_TRAILER}: ${oneLine(workload)}`),
  ]
}

/** Values come from user files: a newline in one must not break the message's structure. */
export function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ')
}

function unique(values: string[]): string[] {
  return [...new Set(values)].sort()
}
