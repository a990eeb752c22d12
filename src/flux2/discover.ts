// Flux v2 discovery: the objects and setter markers of a config repo → Targets for the same pipeline as
// Flux v1 annotations. A marker is used when an ImageUpdateAutomation's update.path covers its file and the
// policy it names lives in that automation's namespace (and passes its policySelector); every marker that
// cannot be used is reported with file, line and the marker as written.

import { type ManifestFile, parseProblem } from '../manifests/discover.js'
import type { Discovery } from '../manifests/document.js'
import { type Selection, Selector } from '../manifests/select.js'
import type { Problem } from '../problems.js'
import { parseYaml } from '../yaml/parse.js'
import { type MarkerContext, markerTargets } from './markers/targets.js'
import { emptyObjects, type FluxObjects } from './objects/model.js'
import { isFluxObject, readObject } from './objects/read.js'
import { mightHoldMarkers, mightHoldObjects } from './screen.js'

export interface FluxDiscovery extends Discovery {
  objects: FluxObjects
}

export type FluxDiscoverOptions = Selection

export function discoverFlux(
  files: Iterable<ManifestFile>,
  options: FluxDiscoverOptions = {},
): FluxDiscovery {
  const out: FluxDiscovery = { targets: [], skipped: [], problems: [], objects: emptyObjects() }
  const selector = new Selector(options)
  const markerFiles: { file: ManifestFile; docs: ReturnType<typeof parseYaml>['docs'] }[] = []
  for (const file of files) {
    const markers = mightHoldMarkers(file.text)
    if (!markers && !mightHoldObjects(file.text)) continue
    const { docs, error } = parseYaml(file.text)
    if (error) {
      if (!file.text.includes('{{')) out.problems.push(parseProblem(file.path, error))
      continue
    }
    for (const doc of docs)
      readObjectOf(doc, file.path, selector.defaultNamespace(file.path), out.objects, out.problems)
    if (markers) markerFiles.push({ file, docs })
  }
  const context: MarkerContext = { objects: out.objects, selector }
  for (const { file, docs } of markerFiles) {
    if (context.selector.file(file.path)) markerTargets(file, docs, context, out)
  }
  return out
}

function readObjectOf(
  doc: ReturnType<typeof parseYaml>['docs'][number],
  file: string,
  namespace: string,
  objects: FluxObjects,
  problems: Problem[],
): void {
  const root = doc.contents
  if (root?.kind !== 'map' || !root.keys.includes('apiVersion')) return
  let value: unknown
  try {
    value = doc.toJS()
  } catch {
    return
  }
  if (isFluxObject(value)) readObject(value, file, namespace, objects, problems)
}
