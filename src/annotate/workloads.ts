// Finding one workload's document in a file, and reading its annotations, with the full `yaml` parser
// (annotation edits are rare and small: they need exact ranges and comments, not the fast reader).
import { type Document, isMap, isScalar, isSeq, type Pair, parseAllDocuments, type YAMLMap } from 'yaml'

export interface WorkloadDoc {
  /** `namespace:kind/name`, kind in lower case, `default` namespace when absent (Flux v1 ids). */
  id: string
  doc: Document.Parsed
  /** The document's index in the file. */
  index: number
  /** Where the resource sits in the document: [] for the root, ['items', 2] for a `kind: List` item. */
  path: (string | number)[]
  /** The resource's `metadata` pair. */
  metadata: Pair<unknown, unknown>
}

export class AnnotateError extends Error {
  constructor(
    message: string,
    /** The file at fault, when the error is about one. */
    readonly file?: string,
  ) {
    super(message)
    this.name = 'AnnotateError'
  }
}

export function parseDocuments(text: string): Document.Parsed[] {
  return parseAllDocuments(text, { prettyErrors: false }) as Document.Parsed[]
}

/** Every identifiable resource in the file (kind and metadata.name are strings), `kind: List` items included. */
export function workloadsIn(docs: readonly Document.Parsed[]): WorkloadDoc[] {
  const found: WorkloadDoc[] = []
  docs.forEach((doc, index) => {
    if (doc.errors.length > 0 || !isMap(doc.contents)) return
    const root = doc.contents as YAMLMap
    const items = pairOf(root, 'items')?.value
    if (stringAt(root, 'kind') === 'List' && isSeq(items)) {
      items.items.forEach((item, position) => {
        const resource = identify(item, doc, index, ['items', position])
        if (resource) found.push(resource)
      })
      return
    }
    const resource = identify(root, doc, index, [])
    if (resource) found.push(resource)
  })
  return found
}

function identify(node: unknown, doc: Document.Parsed, index: number, path: number[] | (string | number)[]) {
  if (!isMap(node)) return undefined
  const kind = stringAt(node, 'kind')
  const metadata = pairOf(node, 'metadata')
  if (!kind || !metadata || !isMap(metadata.value)) return undefined
  const name = stringAt(metadata.value as YAMLMap, 'name')
  if (!name) return undefined
  const namespace = stringAt(metadata.value as YAMLMap, 'namespace') || 'default'
  const id = `${namespace}:${kind.toLowerCase()}/${name}`
  return { id, doc, index, path: path as (string | number)[], metadata }
}

/** The workload's annotations as written (non-string values as their source text). */
export function annotationsOf(workload: WorkloadDoc): Map<string, string> {
  const annotations = new Map<string, string>()
  const map = (workload.metadata.value as YAMLMap).get('annotations', true)
  if (!isMap(map)) return annotations
  for (const pair of map.items) {
    if (!isScalar(pair.key) || typeof pair.key.value !== 'string') continue
    if (isScalar(pair.value)) annotations.set(pair.key.value, String(pair.value.source ?? pair.value.value))
  }
  return annotations
}

export function pairOf(map: YAMLMap, key: string): Pair<unknown, unknown> | undefined {
  return map.items.find((pair) => isScalar(pair.key) && pair.key.value === key) as
    | Pair<unknown, unknown>
    | undefined
}

function stringAt(map: YAMLMap, key: string): string | undefined {
  const value = pairOf(map, key)?.value
  return isScalar(value) && typeof value.value === 'string' ? value.value : undefined
}
