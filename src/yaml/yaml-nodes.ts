// Reading YAML nodes while remembering whether a value may be edited in place.
// A value reached through an alias, or sitting under an anchor that aliases point at, is shared
// with other places: editing its bytes would change those places too, so it is marked unsafe.

import type { ScalarLocation } from '../types.js'
import type { YamlDoc, YamlMap, YamlNode, YamlScalar } from './parse.js'

export type NodePath = (string | number)[]

/** A node reached from the document root, with the reason it cannot be edited, if any. */
export interface Held {
  node: YamlNode
  path: NodePath
  unsafe?: string
}

export type HeldMap = Held & { node: YamlMap }

export class DocReader {
  constructor(
    readonly doc: YamlDoc,
    readonly text: string,
  ) {}

  root(): Held | undefined {
    const node = this.doc.contents
    return node ? this.hold(node, [], undefined) : undefined
  }

  /**
   * The value under `key` of a map, or undefined when absent or not a map. A key the map lacks is
   * looked up in what its `<<` merge key brings in (YAML 1.1, as Kubernetes and Helm read it): such
   * a value is read, never edited, since its bytes belong to the merged map.
   */
  child(held: Held | undefined, key: string): Held | undefined {
    if (held?.node.kind !== 'map') return undefined
    const index = held.node.keys.indexOf(key)
    if (index >= 0) return this.hold(held.node.values[index]!, [...held.path, key], held.unsafe)
    return key === MERGE_KEY ? undefined : this.merged(held as HeldMap, key)
  }

  private merged(held: HeldMap, key: string): Held | undefined {
    const index = held.node.keys.indexOf(MERGE_KEY)
    if (index < 0) return undefined
    const source = this.hold(held.node.values[index]!, [...held.path, MERGE_KEY], held.unsafe)
    // `<<: [*a, *b]` merges several maps; the first that holds the key wins.
    for (const from of source.node.kind === 'seq' ? this.items(source) : [source]) {
      const found = this.child(from, key)
      if (found)
        return { ...found, unsafe: found.unsafe ?? 'cannot edit safely: value comes from a merge key <<' }
    }
    return undefined
  }

  /** Walks `keys` from `held`; undefined as soon as one is missing. */
  dig(held: Held | undefined, keys: readonly string[]): Held | undefined {
    let current = held
    for (const key of keys) current = this.child(current, key)
    return current
  }

  /** Entries of a map with string keys, in document order. */
  *entries(held: Held | undefined): Generator<[string, Held]> {
    if (held?.node.kind !== 'map') return
    const { keys, values } = held.node
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index]
      if (key !== undefined) yield [key, this.hold(values[index]!, [...held.path, key], held.unsafe)]
    }
  }

  /** Items of a sequence, in document order. */
  *items(held: Held | undefined): Generator<Held> {
    if (held?.node.kind !== 'seq') return
    let index = 0
    for (const item of held.node.items) {
      yield this.hold(item, [...held.path, index], held.unsafe)
      index += 1
    }
  }

  isMap(held: Held | undefined): held is HeldMap {
    return held !== undefined && held.node.kind === 'map'
  }

  /** The value of a string scalar; undefined for numbers, booleans, null and collections. */
  string(held: Held | undefined): string | undefined {
    const node = held?.node
    return node?.kind === 'scalar' && typeof node.value === 'string' ? node.value : undefined
  }

  /**
   * The text of a scalar that can hold part of an image reference: a string, or a plain
   * number as written (`tag: 150`, `tag: 1.10` — the written form, not the float).
   */
  imageText(held: Held | undefined): string | undefined {
    const node = held?.node
    if (node?.kind !== 'scalar') return undefined
    if (typeof node.value === 'string') return node.value
    return typeof node.value === 'number' && node.style === 'PLAIN' ? node.source : undefined
  }

  /** A scalar's source text as written (`true` for a plain boolean). */
  sourceText(held: Held | undefined): string | undefined {
    const node = held?.node
    return node?.kind === 'scalar' && node.value !== null ? node.source : undefined
  }

  /** The byte location of a scalar, or why it cannot be edited in place. */
  locate(held: Held): ScalarLocation | { unsafe: string } {
    if (held.unsafe) return { unsafe: held.unsafe }
    const node = held.node
    if (node.kind !== 'scalar') return { unsafe: 'cannot edit safely: not a scalar' }
    if (node.style === 'BLOCK_LITERAL' || node.style === 'BLOCK_FOLDED') {
      return { unsafe: 'cannot edit safely: block scalar' }
    }
    if (/[\r\n]/.test(this.text.slice(node.range[0], node.range[1]))) {
      return { unsafe: 'cannot edit safely: multi-line scalar' }
    }
    const value = this.imageText(held)
    if (value === undefined) return { unsafe: 'cannot edit safely: not a string scalar' }
    const location: ScalarLocation = {
      path: held.path,
      range: [node.range[0], node.range[1]],
      value,
      style: node.style,
    }
    if (node.tag !== undefined) location.tag = node.tag
    return location
  }

  private hold(node: YamlNode, path: NodePath, inherited: string | undefined): Held {
    let unsafe = inherited
    let target: YamlNode = node
    if (node.kind === 'alias') {
      unsafe ??= `cannot edit safely: value comes from alias *${node.source}`
      // A dangling alias is a parse error, reported before any reading; hold a null in its place.
      target = node.target ?? NULL_SCALAR
    }
    const anchor = target.kind === 'alias' ? undefined : target.anchor
    if (anchor && this.doc.aliased.has(anchor)) {
      unsafe ??= `cannot edit safely: value is under anchor &${anchor}, shared with aliases`
    }
    return unsafe === undefined ? { node: target, path } : { node: target, path, unsafe }
  }
}

const MERGE_KEY = '<<'
const NULL_SCALAR: YamlScalar = { kind: 'scalar', value: null, style: 'PLAIN', source: '', range: [0, 0] }
