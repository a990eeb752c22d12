// Values for the fast reader (yaml-fast.ts): a plain scalar typed by the YAML 1.2 core schema exactly as the
// `yaml` package types it (its own tag table), and a document's JS value built from the nodes on demand.
import { Document, isScalar } from 'yaml'
import type { YamlNode } from './parse.js'

/** Thrown through the reader when it meets something it does not read; the caller falls back. */
export const BAIL = Symbol('bail')

export function bail(): never {
  throw BAIL
}

/**
 * The document's JS value, as yaml's toJS() gives it, built from the nodes on demand: discovery reads
 * nodes only, and building every value while parsing was a quarter of the parse's garbage.
 */
export function fastToJS(node: YamlNode | null): unknown {
  if (node === null) return null
  if (node.kind === 'scalar') return node.value
  if (node.kind === 'seq') return node.items.map(fastToJS)
  if (node.kind === 'alias') throw new Error('the fast reader never yields aliases')
  const js: Record<string, unknown> = {}
  for (let index = 0; index < node.keys.length; index++) js[node.keys[index]!] = fastToJS(node.values[index]!)
  return js
}

interface ScalarTag {
  test?: RegExp
  default?: boolean | 'key'
  resolve: (source: string, onError: (message: string) => void, options: object) => unknown
}

/** YAML 1.2 core schema tags in yaml's own order: the same scalar typing as the full parser. */
const CORE_TAGS = (new Document().schema.tags as unknown as ScalarTag[]).filter(
  (tag) => tag.default === true && tag.test !== undefined,
)
const RESOLVE_OPTIONS = { intAsBigInt: false }
/** Only these first characters can make a plain scalar something other than a string. */
const MAYBE_NOT_STRING = /^[-+.~0-9tTfFnN]|^$/

export function resolvePlain(source: string): unknown {
  if (!MAYBE_NOT_STRING.test(source)) return source
  for (const tag of CORE_TAGS) {
    if (!tag.test?.test(source)) continue
    // Some tags resolve to a Scalar node (null does), as in yaml's composer.
    const resolved = tag.resolve(source, bail, RESOLVE_OPTIONS)
    return isScalar(resolved) ? resolved.value : resolved
  }
  return source
}
