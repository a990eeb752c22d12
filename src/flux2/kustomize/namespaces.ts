// The namespace kustomize gives a resource that names none. An overlay's namespace overrides its bases'
// (kustomize applies the outermost namespace last), so the value comes from the outermost kustomization
// that sets one. A base shared by overlays of different namespaces has no single namespace: there the
// innermost value set applies, or none.

import type { Kustomization } from './read.js'

export function kustomizeNamespaces(
  kustomizations: Kustomization[],
  files: ReadonlySet<string>,
): (file: string) => string | undefined {
  const byDir = new Map(kustomizations.map((k) => [k.dir, k]))
  const included = new Set<string>()
  for (const k of kustomizations)
    for (const resource of k.resources) if (byDir.has(resource)) included.add(resource)
  /** file → [outermost value, innermost value] per root that reaches it. */
  const seen = new Map<string, { outer: string | undefined; inner: string | undefined }[]>()
  const record = (file: string, outer: string | undefined, inner: string | undefined) => {
    const list = seen.get(file) ?? []
    list.push({ outer, inner })
    seen.set(file, list)
  }
  const visit = (
    k: Kustomization,
    outer: string | undefined,
    inner: string | undefined,
    stack: Set<string>,
  ) => {
    if (stack.size > 20 || stack.has(k.dir)) return
    stack.add(k.dir)
    const value = outer ?? k.namespace
    const nearest = k.namespace ?? inner
    for (const resource of k.resources) {
      const sub = byDir.get(resource)
      if (sub) visit(sub, value, nearest, stack)
      else if (files.has(resource)) record(resource, value, nearest)
    }
    record(k.file, value, nearest)
    // A patch takes the namespace of what it patches: the overlay's, else its bases' when they agree.
    const bases = new Set(k.resources.flatMap((resource) => byDir.get(resource)?.namespace ?? []))
    const patched = value ?? (bases.size === 1 ? [...bases][0] : undefined)
    for (const file of k.patchFiles) record(file, patched, nearest ?? patched)
    stack.delete(k.dir)
  }
  for (const k of kustomizations) if (!included.has(k.dir)) visit(k, undefined, undefined, new Set())
  const resolved = new Map<string, string | undefined>()
  for (const [file, reached] of seen) {
    const outers = new Set(reached.map((entry) => entry.outer))
    resolved.set(file, outers.size === 1 ? reached[0]!.outer : reached.find((entry) => entry.inner)?.inner)
  }
  return (file) => resolved.get(file)
}
