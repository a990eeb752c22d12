// Kustomization files (kustomization.yaml, kustomization.yml, Kustomization) as far as imagebot needs them:
// the namespace they give their resources, the resources and the overlay patches they list.

import { posix } from 'node:path'
import type { ManifestFile } from '../../manifests/discover.js'
import { parseYaml } from '../../yaml/parse.js'
import { dig, record, strings, text } from '../objects/fields.js'

const KUSTOMIZATION = /(^|\/)(kustomization\.ya?ml|Kustomization)$/

export interface Kustomization {
  file: string
  /** The directory, '' at the root. */
  dir: string
  namespace?: string
  /** Resources as paths from the repository root (files or directories); remote ones are left out. */
  resources: string[]
  /** Patch files (patches[].path, patchesStrategicMerge, patchesJson6902[].path) from the root. */
  patchFiles: string[]
  /** Inline patches (patches[].patch, inline patchesStrategicMerge entries). */
  inlinePatches: string[]
}

export function isKustomizationFile(path: string): boolean {
  return KUSTOMIZATION.test(path)
}

export function readKustomizations(files: Iterable<ManifestFile>): Kustomization[] {
  const found: Kustomization[] = []
  for (const file of files) {
    if (!isKustomizationFile(file.path)) continue
    const { docs, error } = parseYaml(file.text)
    if (error || docs.length === 0) continue
    let value: unknown
    try {
      value = docs[0]!.toJS()
    } catch {
      continue
    }
    if (!record(value)) continue
    found.push(kustomizationOf(file.path, value))
  }
  return found
}

function kustomizationOf(file: string, value: unknown): Kustomization {
  const dir = posix.dirname(file) === '.' ? '' : posix.dirname(file)
  const local = (entry: string) =>
    entry.includes('://') || entry.startsWith('git@') ? undefined : join(dir, entry)
  const listed = (key: string) => (Array.isArray(dig(value, key)) ? (dig(value, key) as unknown[]) : [])
  const resources = [...(strings(dig(value, 'resources')) ?? []), ...(strings(dig(value, 'bases')) ?? [])]
  const patchFiles: string[] = []
  const inlinePatches: string[] = []
  for (const patch of listed('patches')) {
    const path = text(dig(patch, 'path'))
    const inline = text(dig(patch, 'patch'))
    if (path) patchFiles.push(join(dir, path))
    if (inline) inlinePatches.push(inline)
  }
  for (const patch of listed('patchesStrategicMerge')) {
    if (typeof patch !== 'string') continue
    if (patch.includes('\n')) inlinePatches.push(patch)
    else patchFiles.push(join(dir, patch))
  }
  for (const patch of listed('patchesJson6902')) {
    const path = text(dig(patch, 'path'))
    if (path) patchFiles.push(join(dir, path))
  }
  const kustomization: Kustomization = {
    file,
    dir,
    resources: resources.flatMap((entry) => local(entry) ?? []),
    patchFiles,
    inlinePatches,
  }
  const namespace = text(dig(value, 'namespace'))
  if (namespace) kustomization.namespace = namespace
  return kustomization
}

function join(dir: string, entry: string): string {
  const joined = posix.normalize(posix.join(dir, entry))
  return joined === '.' ? '' : joined.replace(/\/+$/, '')
}
