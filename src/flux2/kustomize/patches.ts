// Overlay patches that pin an image: the file that really decides what deploys. A marked scalar in a patch
// is an ordinary marker target; every unmarked image or tag value in a patch file, inline patch or
// kustomize `images:` entry is reported as skipped, naming the file that decides it and, when annotations
// or markers automate the patched resource in its base, that base.

import type { ManifestFile } from '../../manifests/discover.js'
import type { Discovery } from '../../manifests/document.js'
import type { Skipped, Target } from '../../types.js'
import { parseYaml } from '../../yaml/parse.js'
import { DocReader, type Held } from '../../yaml/yaml-nodes.js'
import { dotPath } from '../markers/find.js'
import { markerComments } from '../markers/syntax.js'
import type { Kustomization } from './read.js'

const IMAGE_KEYS = new Set(['image', 'tag', 'newTag', 'newName', 'digest'])

export function overlayPins(
  kustomizations: Kustomization[],
  files: ReadonlyMap<string, ManifestFile>,
  targets: Target[],
  out: Discovery,
): void {
  const patchFiles = new Set(kustomizations.flatMap((k) => k.patchFiles))
  for (const k of kustomizations) {
    for (const patch of k.patchFiles) {
      const file = files.get(patch)
      if (file) pinsIn(file, `overlay patch of ${k.file}`, targets, patchFiles, out)
    }
    k.inlinePatches.forEach((inline, index) => {
      if (!/\b(image|newTag|tag):/.test(inline) && !/\/image"?\s*$/m.test(inline)) return
      out.skipped.push({
        file: k.file,
        workload: `kustomization/${k.dir || '.'}`,
        container: `patches[${index}]`,
        reason: `an inline patch in ${k.file} may set an image; it is a block scalar and cannot be updated: move it to a patch file and mark the value with # {"$imagepolicy": "<namespace>:<name>"}`,
      })
    })
    const self = files.get(k.file)
    if (self) pinsIn(self, `images: entry of ${k.file}`, targets, patchFiles, out, ['images'])
  }
}

function pinsIn(
  file: ManifestFile,
  what: string,
  targets: Target[],
  patchFiles: ReadonlySet<string>,
  out: Discovery,
  under?: string[],
): void {
  const { docs, error } = parseYaml(file.text)
  if (error) return
  const commentLines = new Set(
    markerComments(file.text).map((c) => file.text.lastIndexOf('\n', c.offset) + 1),
  )
  docs.forEach((doc) => {
    const reader = new DocReader(doc, file.text)
    const root = reader.root()
    if (!root) return
    const start = under ? reader.dig(root, under) : root
    if (!start) return
    const kind = reader.string(reader.child(root, 'kind')) ?? 'document'
    const dir = file.path.includes('/') ? file.path.slice(0, file.path.lastIndexOf('/')) : '.'
    const fallback = kind === 'Kustomization' ? dir : file.path
    const name = reader.string(reader.dig(root, ['metadata', 'name'])) ?? fallback
    forEachImageScalar(reader, start, (held) => {
      if (held.node.kind !== 'scalar' || held.node.value === null) return
      const lineStart = file.text.lastIndexOf('\n', held.node.range[1] - 1) + 1
      if (commentLines.has(lineStart)) return
      const container = dotPath(held.path)
      const workload = `${kind.toLowerCase()}/${name}`
      const bases = targets.filter((t) => t.workload.endsWith(`:${workload}`) && !patchFiles.has(t.file))
      const base =
        bases.length > 0
          ? `; ${[...new Set(bases.map((t) => t.file))].join(', ')} automates it in the base, but this file decides what deploys here`
          : ''
      const pinned: Skipped = {
        file: file.path,
        workload,
        container,
        reason: `${what} pins ${container} to ${String(held.node.value)}${base}; mark it with # {"$imagepolicy": "<namespace>:<name>"} (or :tag) to automate it`,
      }
      out.skipped.push(pinned)
    })
  })
}

function forEachImageScalar(reader: DocReader, held: Held, visit: (held: Held) => void): void {
  if (held.node.kind === 'map') {
    for (const [key, child] of reader.entries(held)) {
      if (IMAGE_KEYS.has(key) && child.node.kind === 'scalar') visit(child)
      else forEachImageScalar(reader, child, visit)
    }
  } else if (held.node.kind === 'seq') {
    for (const item of reader.items(held)) forEachImageScalar(reader, item, visit)
  }
}
