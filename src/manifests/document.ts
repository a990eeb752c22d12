// One parsed YAML document → targets, skipped containers and problems.

import type { Problem } from '../problems.js'
import type { Skipped, Target } from '../types.js'
import type { YamlDoc } from '../yaml/parse.js'
import { DocReader, type Held } from '../yaml/yaml-nodes.js'
import { annotationWarnings } from './annotation-checks.js'
import { type Automation, lockMessage, policyFor, readAutomation } from './annotations.js'
import { valuesContainers } from './helm-values.js'
import { type FieldNodes, resolveContainer } from './image-fields.js'
import type { Selector } from './select.js'
import { isWorkloadKind, workloadContainers } from './workloads.js'

export interface Discovery {
  targets: Target[]
  skipped: Skipped[]
  problems: Problem[]
}

/** HelmRelease apiVersions whose values Flux v1 style automation applies to. */
const HELM_RELEASE_APIS: Record<string, readonly string[]> = {
  FluxHelmRelease: ['helm.integrations.flux.weave.works/v1alpha2'],
  HelmRelease: [
    'flux.weave.works/v1beta1',
    'helm.fluxcd.io/v1',
    'helm.toolkit.fluxcd.io/v2beta1',
    'helm.toolkit.fluxcd.io/v2beta2',
    'helm.toolkit.fluxcd.io/v2',
  ],
}

type Candidate =
  | { container: string; nodes: FieldNodes; strict: boolean }
  | { container: string; error: string }
  | { container: string; skipped: string }

interface Resource {
  reader: DocReader
  root: Held
  kind: string
  workload: string
}

export function discoverDocument(
  file: string,
  index: number,
  doc: YamlDoc,
  text: string,
  selector: Selector,
  out: Discovery,
  manual = false,
): void {
  const reader = new DocReader(doc, text)
  for (const root of resourceRoots(reader)) {
    const resource = identify(reader, root, file, selector)
    if (resource) discoverResource(file, index, resource, out, manual)
  }
}

/** The document's root, or each item of a `kind: List` (Flux v1 read those too). */
function resourceRoots(reader: DocReader): Held[] {
  const root = reader.root()
  if (!reader.isMap(root)) return []
  const kind = reader.string(reader.child(root, 'kind'))
  const items = reader.child(root, 'items')
  if (kind === 'List' && items?.node.kind === 'seq') return [...reader.items(items)]
  return [root]
}

function discoverResource(
  file: string,
  index: number,
  resource: Resource,
  out: Discovery,
  manual: boolean,
): void {
  const { reader, root, kind, workload } = resource
  const automation = readAutomation(reader, reader.child(root, 'metadata'))
  const isHelm = !isWorkloadKind(kind)
  const candidates = candidatesOf(resource, automation, isHelm)
  const containers = candidates.map((candidate) => candidate.container)
  out.problems.push(...annotationWarnings(automation, { file, workload, containers }))
  const reason = manual ? undefined : skipReason(automation)
  const message = reason === 'locked' ? lockMessage(automation) : undefined
  for (const candidate of candidates) {
    const { container } = candidate
    if (reason !== undefined) {
      out.skipped.push({ file, workload, container, reason, ...(message ? { message } : {}) })
    } else if ('error' in candidate) {
      out.problems.push(mappingProblem(file, workload, container, candidate.error))
    } else if ('skipped' in candidate) {
      out.skipped.push({ file, workload, container, reason: candidate.skipped })
    } else {
      const policy = policyFor(automation, container)
      const context = { reader, file, doc: index, workload, container, policy }
      const found = resolveContainer(
        { ...context, strict: candidate.strict, requireTag: isHelm },
        candidate.nodes,
      )
      if ('target' in found) out.targets.push(found.target)
      else if ('skipped' in found) out.skipped.push(found.skipped)
      else out.problems.push(found.problem)
    }
  }
}

/** A workload or HelmRelease we handle, in a selected namespace; anything else is not ours. */
function identify(reader: DocReader, root: Held, file: string, selector: Selector): Resource | undefined {
  if (!reader.isMap(root)) return undefined
  const kind = reader.string(reader.child(root, 'kind'))
  const metadata = reader.child(root, 'metadata')
  const name = reader.string(reader.child(metadata, 'name'))
  if (!kind || !name) return undefined
  if (!isWorkloadKind(kind)) {
    const apiVersion = reader.string(reader.child(root, 'apiVersion')) ?? ''
    if (!HELM_RELEASE_APIS[kind]?.includes(apiVersion)) return undefined
  }
  const namespace = reader.string(reader.child(metadata, 'namespace')) || selector.defaultNamespace(file)
  if (!selector.namespace(namespace)) return undefined
  return { reader, root, kind, workload: `${namespace}:${kind.toLowerCase()}/${name}` }
}

function candidatesOf(resource: Resource, automation: Automation, isHelm: boolean): Candidate[] {
  const { reader, root, kind } = resource
  if (!isHelm) return workloadContainers(reader, root, kind).map((found) => ({ ...found, strict: true }))
  const values = reader.dig(root, ['spec', 'values'])
  return reader.isMap(values) ? valuesContainers(reader, values, automation.mappings) : []
}

function skipReason(automation: Automation): string | undefined {
  if (automation.ignored) return 'ignored'
  if (automation.locked) return 'locked'
  return automation.automated ? undefined : 'not automated'
}

function mappingProblem(file: string, workload: string, container: string, error: string): Problem {
  return { code: 'IMAGE_REF_INVALID', file, workload, container, message: `${file}: ${workload}: ${error}` }
}
