// Flux's messageTemplate data from our UpdateResult: `.AutomationObject` (prints as namespace/name),
// `.Changed.FileChanges` (file → object → changes), `.Changed.Objects` (object → changes) and
// `.Changed.Changes` (every change: `.OldValue`, `.NewValue`, `.Setter`).

import type { Change, UpdateResult } from '../../types.js'
import { type Struct, struct } from './values.js'

/** Kinds as Kubernetes spells them; workload ids keep them in lower case. */
const KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Pod',
  'HelmRelease',
  'FluxHelmRelease',
  'Kustomization',
]
const KIND_BY_LOWER = new Map(KINDS.map((kind) => [kind.toLowerCase(), kind]))

export function templateData(result: UpdateResult, automation: { namespace: string; name: string }): Struct {
  const objectKeys = new Map<string, Struct>()
  const fileChanges = new Map<string, Map<Struct, Struct[]>>()
  const objects = new Map<Struct, Struct[]>()
  const changes: Struct[] = []
  for (const [file, update] of result.files) {
    const perFile = new Map<Struct, Struct[]>()
    for (const change of update.changes) {
      const id = objectIdentifier(change.workload, objectKeys)
      const value = changeValue(change)
      changes.push(value)
      perFile.set(id, [...(perFile.get(id) ?? []), value])
      objects.set(id, [...(objects.get(id) ?? []), value])
    }
    fileChanges.set(file, perFile)
  }
  const { namespace, name } = automation
  return struct('TemplateData', {
    AutomationObject: struct('NamespacedName', { Namespace: namespace, Name: name }, `${namespace}/${name}`),
    Changed: struct('ResultV2', { FileChanges: fileChanges, Objects: objects, Changes: changes }),
  })
}

function changeValue(change: Change): Struct {
  return struct('Change', {
    OldValue: change.oldValue ?? change.oldRef,
    NewValue: change.newValue ?? change.newRef,
    Setter: change.setter ?? change.policy,
  })
}

/** One identifier per workload, so that maps keyed by it group changes as Go's struct keys do. */
function objectIdentifier(workload: string, known: Map<string, Struct>): Struct {
  let id = known.get(workload)
  if (!id) {
    const match = /^([^:]*):([^/]*)\/(.*)$/.exec(workload)
    const [namespace, lowerKind, name] = match ? match.slice(1) : ['', '', workload]
    const kind = KIND_BY_LOWER.get(lowerKind!) ?? lowerKind!
    id = struct(
      'ObjectIdentifier',
      { Kind: kind, Name: name, Namespace: namespace, APIVersion: '' },
      `${kind} ${namespace}/${name}`,
    )
    known.set(workload, id)
  }
  return id
}

/** A result with one change of each kind, to check a template before any commit depends on it. */
export function sampleResult(): UpdateResult {
  const change: Change = {
    workload: 'flux-system:deployment/podinfo',
    container: 'podinfo',
    field: 'image',
    oldRef: 'ghcr.io/stefanprodan/podinfo:6.4.0',
    newRef: 'ghcr.io/stefanprodan/podinfo:6.5.0',
    policy: 'flux:flux-system/podinfo',
    oldValue: 'ghcr.io/stefanprodan/podinfo:6.4.0',
    newValue: 'ghcr.io/stefanprodan/podinfo:6.5.0',
    setter: 'flux-system:podinfo',
  }
  return { files: new Map([['apps/podinfo.yaml', { text: '', changes: [change] }]]) }
}
