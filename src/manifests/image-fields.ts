// One container's image fields → a Target, or why it is skipped, or a problem.

import type { PolicySpec } from '../../policies/spec.js'
import { ImageRefError, parseImageRef } from '../image/reference.js'
import type { Problem } from '../problems.js'
import type { FieldLocations, Skipped, Target } from '../types.js'
import type { DocReader, Held } from '../yaml/yaml-nodes.js'

/** The nodes that hold parts of one image. `image` may be `repo:tag` or `repo` alone. */
export interface FieldNodes {
  image?: Held
  registry?: Held
  repository?: Held
  tag?: Held
}

export interface ContainerContext {
  reader: DocReader
  file: string
  doc: number
  workload: string
  container: string
  policy: PolicySpec
  /** Bad references are problems (true) or skipped with a reason (false, for guessed value shapes). */
  strict: boolean
  /** Helm values without a tag use the chart's default: nothing to update. */
  requireTag: boolean
}

export type Found = { target: Target } | { skipped: Skipped } | { problem: Problem }

export function resolveContainer(context: ContainerContext, nodes: FieldNodes): Found {
  const { reader } = context
  const name = reader.imageText(nodes.image ?? nodes.repository)
  if (name === undefined) return skip(context, 'image is not a string')
  const tagText = nodes.tag ? reader.imageText(nodes.tag) : undefined
  if (nodes.tag && tagText === undefined) return skip(context, 'tag is not a string or number')
  if (tagText === '') return skip(context, "empty tag (the chart's default is used)")
  const registry = nodes.registry ? reader.string(nodes.registry)?.replace(/\/+$/, '') : undefined
  const written = (registry ? `${registry}/` : '') + name + (tagText === undefined ? '' : `:${tagText}`)

  let current: Target['current']
  try {
    current = parseImageRef(written)
  } catch (error) {
    if (!(error instanceof ImageRefError)) throw error
    if (!context.strict) return skip(context, `not an image reference: "${written}"`)
    return { problem: invalidRef(context, written, error.message) }
  }
  if (context.requireTag && current.tag === undefined && current.digest === undefined) {
    return skip(context, "no tag to update (the chart's default is used)")
  }

  // Only the field that takes the new tag must be editable; the others are read, never written, so
  // a repository shared through an anchor or a merge key beside an own `tag` is fine.
  const edited = nodes.tag ? 'tag' : 'image'
  const fields: FieldLocations = {}
  for (const field of ['image', 'repository', 'tag', 'registry'] as const) {
    const held = nodes[field]
    // An empty registry adds nothing to the reference; leave it out of the edit.
    if (!held || (field === 'registry' && !registry)) continue
    const location = reader.locate(held)
    if (!('unsafe' in location)) fields[field] = location
    else if (field === edited) return skip(context, `${location.unsafe} (${field} at ${held.path.join('.')})`)
  }
  const { file, doc, workload, container, policy } = context
  return { target: { file, doc, workload, container, fields, current, policy } }
}

export function skip(context: Pick<ContainerContext, 'file' | 'workload' | 'container'>, reason: string) {
  const { file, workload, container } = context
  return { skipped: { file, workload, container, reason } }
}

export function invalidRef(
  context: Pick<ContainerContext, 'file' | 'workload' | 'container'>,
  value: string,
  reason: string,
): Problem {
  const { file, workload, container } = context
  return {
    code: 'IMAGE_REF_INVALID',
    file,
    workload,
    container,
    image: value,
    message: `${file}: ${workload} container ${container}: ${reason}; fix the image value in the file`,
  }
}
