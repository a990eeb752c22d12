// Attaching marker comments to the scalars they follow. A marker belongs to the scalar that ends on its
// line, with only blanks between (as kyaml attaches a line comment to the value node). A marker that
// follows no scalar is returned as stray, so that it can be reported rather than ignored.

import type { YamlDoc } from '../../yaml/parse.js'
import { DocReader, type Held } from '../../yaml/yaml-nodes.js'
import type { MarkerComment } from './syntax.js'

export interface MarkedScalar {
  doc: number
  reader: DocReader
  held: Held
  /** A name for review: the container or kustomize image name the scalar belongs to, else its key path. */
  container: string
  comment: MarkerComment
}

/** Keys of sequences whose items are named by their `name` (containers, kustomize images). */
const NAMED_ITEMS = new Set(['containers', 'initContainers', 'ephemeralContainers', 'images'])

export function attachMarkers(
  text: string,
  docs: YamlDoc[],
  comments: MarkerComment[],
): { marked: MarkedScalar[]; stray: MarkerComment[] } {
  const byLineStart = new Map<number, MarkerComment>()
  for (const comment of comments) byLineStart.set(text.lastIndexOf('\n', comment.offset) + 1, comment)
  const marked: MarkedScalar[] = []
  const used = new Set<MarkerComment>()
  docs.forEach((doc, index) => {
    const reader = new DocReader(doc, text)
    const root = reader.root()
    if (!root) return
    walk(reader, root, undefined, (held, container) => {
      if (held.node.kind !== 'scalar') return
      const end = held.node.range[1]
      const comment = byLineStart.get(text.lastIndexOf('\n', end - 1) + 1)
      if (!comment || comment.offset < end || used.has(comment)) return
      if (text.slice(end, comment.offset).trim() !== '') return
      used.add(comment)
      marked.push({ doc: index, reader, held, container: container ?? dotPath(held.path), comment })
    })
  })
  return { marked, stray: comments.filter((comment) => !used.has(comment)) }
}

function walk(
  reader: DocReader,
  held: Held,
  container: string | undefined,
  visit: (held: Held, container: string | undefined) => void,
): void {
  if (held.node.kind === 'map') {
    for (const [, child] of reader.entries(held)) walk(reader, child, container, visit)
  } else if (held.node.kind === 'seq') {
    const key = held.path[held.path.length - 1]
    const named = typeof key === 'string' && NAMED_ITEMS.has(key)
    for (const item of reader.items(held)) {
      const name = named ? reader.string(reader.child(item, 'name')) : undefined
      walk(reader, item, name ?? container, visit)
    }
  } else {
    visit(held, container)
  }
}

export function dotPath(path: (string | number)[]): string {
  return path
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`))
    .join('')
    .replace(/^\./, '')
}
