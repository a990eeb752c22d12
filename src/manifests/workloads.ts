// Kubernetes workloads: every containers[] and initContainers[] entry of the pod spec.

import type { DocReader, Held } from '../yaml/yaml-nodes.js'
import type { FieldNodes } from './image-fields.js'

/** Where the pod spec sits, by kind; any apiVersion (real repos still hold extensions/v1beta1). */
const POD_SPEC_PATHS: Record<string, readonly string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
}

export function isWorkloadKind(kind: string): boolean {
  return Object.hasOwn(POD_SPEC_PATHS, kind)
}

export interface FoundContainer {
  container: string
  nodes: FieldNodes
}

/** Containers with an `image` key; entries without a name or image are not containers we can track. */
export function workloadContainers(reader: DocReader, root: Held, kind: string): FoundContainer[] {
  const path = POD_SPEC_PATHS[kind]
  if (!path) return []
  const podSpec = reader.dig(root, path)
  const found: FoundContainer[] = []
  for (const list of ['containers', 'initContainers']) {
    for (const entry of reader.items(reader.child(podSpec, list))) {
      const container = reader.string(reader.child(entry, 'name'))
      const image = reader.child(entry, 'image')
      if (container === undefined || image === undefined) continue
      found.push({ container, nodes: { image } })
    }
  }
  return found
}
