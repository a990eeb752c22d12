// Marked scalars → Targets. The target's `current` names the policy's image repository (what the registry
// is asked about) with the tag the scalar holds, and its `setter` says which part of the policy's pick the
// scalar takes: the whole reference, the name, the tag or the digest.

import { type ImageRef, ImageRefError, parseImageRef, writtenName } from '../../image/reference.js'
import type { ManifestFile } from '../../manifests/discover.js'
import type { Discovery } from '../../manifests/document.js'
import { NOT_AUTOMATED } from '../../manifests/report.js'
import type { Selector } from '../../manifests/select.js'
import type { Setter, Target } from '../../types.js'
import type { YamlDoc } from '../../yaml/parse.js'
import type { DocReader } from '../../yaml/yaml-nodes.js'
import { type Coverage, coverage } from '../objects/coverage.js'
import { type FluxObjects, objectKey } from '../objects/model.js'
import { attachMarkers, type MarkedScalar } from './find.js'
import { lineOf, type MarkerField, markerComments, parseMarker } from './syntax.js'

export interface MarkerContext {
  objects: FluxObjects
  selector: Selector
  /** Built on first use from `objects`. */
  coverage?: Coverage
}

const FIELD_OF: Record<MarkerField, Setter['field']> = {
  image: 'image',
  name: 'repository',
  tag: 'tag',
  digest: 'digest',
}

export function markerTargets(
  file: ManifestFile,
  docs: YamlDoc[],
  context: MarkerContext,
  out: Discovery,
): void {
  const comments = markerComments(file.text)
  if (comments.length === 0) return
  const { marked, stray } = attachMarkers(file.text, docs, comments)
  for (const comment of stray) {
    out.problems.push({
      code: 'ANNOTATION',
      severity: 'warning',
      file: file.path,
      offset: comment.offset,
      message: `${file.path}:${lineOf(file.text, comment.offset)}: marker ${comment.text} follows no scalar value on its line; nothing is set`,
    })
  }
  context.coverage ??= coverage(context.objects)
  for (const scalar of marked) markerTarget(file, scalar, context, context.coverage, out)
}

function markerTarget(
  file: ManifestFile,
  scalar: MarkedScalar,
  context: MarkerContext,
  cover: Coverage,
  out: Discovery,
): void {
  const { reader, held, comment } = scalar
  const where = `${file.path}:${lineOf(file.text, comment.offset)}`
  const { workload, namespace } = identify(reader, file.path, context.selector.defaultNamespace(file.path))
  if (!context.selector.namespace(namespace)) return
  const container = scalar.container
  const warn = (message: string): void => {
    out.problems.push({
      code: 'ANNOTATION',
      severity: 'warning',
      file: file.path,
      workload,
      container,
      offset: comment.offset,
      message: `${where}: marker ${comment.text} ${message}`,
    })
  }
  const marker = parseMarker(comment.text)
  if ('error' in marker) {
    warn(`${marker.error}; nothing is set`)
    return
  }
  const found = cover.resolve(file.path, marker.namespace, marker.name)
  if ('notCovered' in found) {
    out.skipped.push({
      file: file.path,
      workload,
      container,
      reason: `${NOT_AUTOMATED}: ${found.notCovered}`,
    })
    return
  }
  if ('error' in found) {
    warn(`${found.error}; nothing is set`)
    return
  }
  const location = reader.locate(held)
  if ('unsafe' in location) {
    out.skipped.push({
      file: file.path,
      workload,
      container,
      reason: `${location.unsafe} (marker ${marker.setter})`,
    })
    return
  }
  let image: ImageRef
  try {
    image = parseImageRef(found.repository.image)
  } catch (error) {
    if (!(error instanceof ImageRefError)) throw error
    warn(
      `uses ImageRepository ${found.repository.namespace}/${found.repository.name}, whose spec.image ${error.message}`,
    )
    return
  }
  const current = currentRef(image, marker.field, location.value)
  const field = FIELD_OF[marker.field]
  const setter: Setter = {
    field,
    pinDigest: marker.field === 'image' && found.policy.reflectDigest,
    name: marker.setter,
  }
  if (found.automation) setter.automation = objectKey(found.automation.namespace, found.automation.name)
  const target: Target = {
    file: file.path,
    doc: scalar.doc,
    workload,
    container,
    fields: { [field]: location },
    current,
    // Flux drops excluded tags when it scans the repository; here each policy on it excludes them.
    policy: { ...found.policy.spec, excludePatterns: found.repository.exclusionList },
    setter,
  }
  out.targets.push(target)
}

/** The policy's repository with what the scalar says about the current tag (nothing for name and digest). */
function currentRef(image: ImageRef, field: MarkerField, value: string): ImageRef {
  const name = writtenName(image)
  const base: ImageRef = { path: image.path, written: value }
  if (image.domain !== undefined) base.domain = image.domain
  if (field === 'tag') return { ...base, tag: value, written: `${name}:${value}` }
  if (field === 'image') {
    try {
      const scalar = parseImageRef(value)
      if (scalar.tag !== undefined) base.tag = scalar.tag
    } catch (error) {
      if (!(error instanceof ImageRefError)) throw error
    }
  }
  return base
}

function identify(
  reader: DocReader,
  file: string,
  fallback: string,
): { workload: string; namespace: string } {
  const root = reader.root()
  const kind = reader.string(reader.child(root, 'kind')) ?? 'document'
  const metadata = reader.child(root, 'metadata')
  const namespace = reader.string(reader.child(metadata, 'namespace')) || fallback
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.'
  const name = reader.string(reader.child(metadata, 'name')) ?? (kind === 'Kustomization' ? dir : file)
  return { workload: `${namespace}:${kind.toLowerCase()}/${name}`, namespace }
}
