// Images in a HelmRelease's spec.values, in the shapes Flux v1's helm-operator recognised
// (fluxcd/flux pkg/resource/kubernetes/helmrelease.go), extended to nested maps named by dot path
// and to lists of containers (`sidecars: [{name: x, image: …}]`) named by path and item name.

import type { DocReader, Held } from '../yaml/yaml-nodes.js'
import type { ValuesMapping } from './annotations.js'
import type { FieldNodes } from './image-fields.js'

/** The container name Flux v1 gives an image at the root of the values. */
export const CHART_IMAGE = 'chart-image'
/** Deeper values maps are not searched; no chart nests images this far. */
const MAX_DEPTH = 12

export interface ValuesContainer {
  container: string
  nodes: FieldNodes
  /** Shapes that clearly mean an image (an `image` key or a mapping annotation) report bad refs as problems. */
  strict: boolean
}

export interface ValuesError {
  container: string
  error: string
}

/** An image in the values that cannot be named, so no filter could select it: reported, not dropped. */
export interface ValuesSkipped {
  container: string
  skipped: string
}

export type ValuesEntry = ValuesContainer | ValuesError | ValuesSkipped

/** `sidecars[x]`: the list's path and the item's `name`. */
export function listItemName(path: string, itemName: string): string {
  return `${path}[${itemName}]`
}

interface Interpreted {
  nodes: FieldNodes
  strict: boolean
  /** The `image` key held a map that is part of this container, not a container of its own. */
  consumesImageMap: boolean
}

export function valuesContainers(
  reader: DocReader,
  values: Held,
  mappings: Map<string, ValuesMapping>,
): ValuesEntry[] {
  const found: ValuesContainer[] = []
  const unnamed: ValuesSkipped[] = []
  const atRoot = asContainer(reader, values)
  if (atRoot) found.push({ container: CHART_IMAGE, nodes: atRoot.nodes, strict: atRoot.strict })
  walk(reader, values, undefined, atRoot?.consumesImageMap ?? false, 0, { found, unnamed })
  return [...applyMappings(reader, values, mappings, found), ...unnamed]
}

interface Found {
  found: ValuesContainer[]
  unnamed: ValuesSkipped[]
}

function walk(
  reader: DocReader,
  map: Held,
  name: string | undefined,
  skipImageMap: boolean,
  depth: number,
  out: Found,
): void {
  if (depth >= MAX_DEPTH) return
  for (const [key, child] of reader.entries(map)) {
    // `<<` merges a map into its parent (YAML 1.1, as Kubernetes reads it): not a container.
    if (key === '<<' || (skipImageMap && key === 'image')) continue
    const container = name === undefined ? key : `${name}.${key}`
    if (child.node.kind === 'seq') walkList(reader, child, container, depth + 1, out)
    if (!reader.isMap(child)) continue
    const interpreted = asContainer(reader, child) ?? asImageMap(reader, child)
    if (interpreted) out.found.push({ container, nodes: interpreted.nodes, strict: interpreted.strict })
    walk(reader, child, container, interpreted?.consumesImageMap ?? false, depth + 1, out)
  }
}

/**
 * A list of container-like maps (`sidecars`, `extraContainers`, `template.spec.containers`): an item
 * with a `name` and an image is container `path[name]`; an image in an item without a name is
 * reported as skipped, since no annotation could name it and list positions move.
 */
function walkList(reader: DocReader, list: Held, path: string, depth: number, out: Found): void {
  let index = 0
  for (const item of reader.items(list)) {
    const position = index++
    if (!reader.isMap(item)) continue
    const itemName = reader.string(reader.child(item, 'name'))
    const interpreted = asContainer(reader, item)
    if (itemName === undefined || itemName === '') {
      if (interpreted) {
        const skipped = `list item ${position} holds an image but no name; add \`name:\` to the item so a filter can name it`
        out.unnamed.push({ container: `${path}[${position}]`, skipped })
      }
      continue
    }
    const container = listItemName(path, itemName)
    if (interpreted) out.found.push({ container, nodes: interpreted.nodes, strict: interpreted.strict })
    walk(reader, item, container, interpreted?.consumesImageMap ?? false, depth + 1, out)
  }
}

/** `image: repo:tag`, `image: repo` + `tag`, `registry` + `image` (+ `tag`), `image: {repository, tag, registry?}`. */
function asContainer(reader: DocReader, map: Held): Interpreted | undefined {
  const image = reader.child(map, 'image')
  if (!image) return undefined
  if (reader.isMap(image)) {
    const repository = reader.child(image, 'repository')
    if (!isNamed(reader, repository)) return undefined
    const tag = reader.child(image, 'tag')
    const registry = reader.child(image, 'registry')
    // Without a `tag` key the repository holds the whole `repo:tag`, and is the field to edit
    // (Flux v1 TestParseNamedImageObjectFormatWithRegistryWitoutTag).
    const nodes = tag ? { repository, tag, registry } : { image: repository, registry }
    return { nodes, strict: true, consumesImageMap: true }
  }
  if (!isNamed(reader, image)) return undefined
  const nodes = { image, tag: reader.child(map, 'tag'), registry: reader.child(map, 'registry') }
  return { nodes, strict: true, consumesImageMap: false }
}

/** A map with `repository` and `tag` but no `image` key, e.g. `redis: {repository, tag}`. */
function asImageMap(reader: DocReader, map: Held): Interpreted | undefined {
  const repository = reader.child(map, 'repository')
  const tag = reader.child(map, 'tag')
  if (!isNamed(reader, repository) || !tag) return undefined
  // A guess: `repository` may be a git or chart URL, so a bad reference is skipped, not an error.
  return {
    nodes: { repository, tag, registry: reader.child(map, 'registry') },
    strict: false,
    consumesImageMap: false,
  }
}

/** A non-empty string: `image: true`, `image: ""` or `repository: 5` are not images. */
function isNamed(reader: DocReader, held: Held | undefined): held is Held {
  const value = reader.string(held)
  return value !== undefined && value.length > 0
}

/** Mapping annotations name a container and override what the shapes above found for it. */
function applyMappings(
  reader: DocReader,
  values: Held,
  mappings: Map<string, ValuesMapping>,
  found: ValuesContainer[],
): (ValuesContainer | ValuesError)[] {
  if (mappings.size === 0) return found
  const mapped: (ValuesContainer | ValuesError)[] = []
  for (const [container, mapping] of mappings) {
    const nodes = mappedNodes(reader, values, container, mapping)
    mapped.push(typeof nodes === 'string' ? { container, error: nodes } : { container, nodes, strict: true })
  }
  const mappedNames = new Set(mappings.keys())
  const mappedNodeSet = new Set(mapped.flatMap((entry) => ('nodes' in entry ? nodesOf(entry.nodes) : [])))
  // Drop what the shapes found for the same container or for the same scalars (no double edits).
  const kept = found.filter(
    (entry) =>
      !mappedNames.has(entry.container) && !nodesOf(entry.nodes).some((node) => mappedNodeSet.has(node)),
  )
  return [...kept, ...mapped]
}

function mappedNodes(
  reader: DocReader,
  values: Held,
  container: string,
  mapping: ValuesMapping,
): FieldNodes | string {
  if (mapping.repository === undefined) {
    return `annotation repository.fluxcd.io/${container} is missing; add it next to the tag/registry mapping`
  }
  const nodes: FieldNodes = {}
  for (const field of ['repository', 'tag', 'registry'] as const) {
    const path = mapping[field]
    if (path === undefined) continue
    const held = reader.dig(values, path.split('.'))
    if (!held)
      return `annotation ${field}.fluxcd.io/${container}: no value at spec.values.${path}; fix the path`
    nodes[field] = held
  }
  // Without a tag path the repository value holds the whole `repo:tag`.
  if (!nodes.tag) return { image: nodes.repository, registry: nodes.registry }
  return nodes
}

function nodesOf(nodes: FieldNodes): unknown[] {
  return [nodes.image, nodes.registry, nodes.repository, nodes.tag].flatMap((held) =>
    held ? [held.node] : [],
  )
}
