// Images in a HelmRelease's spec.values, in the shapes Flux v1's helm-operator recognised
// (fluxcd/flux pkg/resource/kubernetes/helmrelease.go), extended to nested maps named by dot path.

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
): (ValuesContainer | ValuesError)[] {
  const found: ValuesContainer[] = []
  const atRoot = asContainer(reader, values)
  if (atRoot) found.push({ container: CHART_IMAGE, nodes: atRoot.nodes, strict: atRoot.strict })
  walk(reader, values, undefined, atRoot?.consumesImageMap ?? false, 0, found)
  return applyMappings(reader, values, mappings, found)
}

function walk(
  reader: DocReader,
  map: Held,
  name: string | undefined,
  skipImageMap: boolean,
  depth: number,
  found: ValuesContainer[],
): void {
  if (depth >= MAX_DEPTH) return
  for (const [key, child] of reader.entries(map)) {
    // `<<` merges a map into its parent (YAML 1.1, as Kubernetes reads it): not a container.
    if (!reader.isMap(child) || key === '<<' || (skipImageMap && key === 'image')) continue
    const container = name === undefined ? key : `${name}.${key}`
    const interpreted = asContainer(reader, child) ?? asImageMap(reader, child)
    if (interpreted) found.push({ container, nodes: interpreted.nodes, strict: interpreted.strict })
    walk(reader, child, container, interpreted?.consumesImageMap ?? false, depth + 1, found)
  }
}

/** `image: repo:tag`, `image: repo` + `tag`, `registry` + `image` (+ `tag`), `image: {repository, tag, registry?}`. */
function asContainer(reader: DocReader, map: Held): Interpreted | undefined {
  const image = reader.child(map, 'image')
  if (!image) return undefined
  if (reader.isMap(image)) {
    const repository = reader.child(image, 'repository')
    if (!isNamed(reader, repository)) return undefined
    const nodes = { repository, tag: reader.child(image, 'tag'), registry: reader.child(image, 'registry') }
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
