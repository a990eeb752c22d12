// Which files and workloads a run looks at: path prefixes (as Flux's --git-path) and namespaces.

export interface Selection {
  /** Path prefixes relative to the root, e.g. `releases/`; empty or absent means everything. */
  paths?: string[]
  /** Namespaces to return targets for; absent means all. */
  namespaces?: string[]
  /** The namespace of a resource that names none, when something else decides it (its kustomization). */
  namespaceOf?: (file: string) => string | undefined
}

const YAML_NAME = /\.ya?ml$/i

/** YAML files by name: `.yaml`, `.yml`, and kustomize's `Kustomization`, which has no suffix. */
export function isManifestFile(path: string): boolean {
  return YAML_NAME.test(path) || path === 'Kustomization' || path.endsWith('/Kustomization')
}

export class Selector {
  private readonly prefixes: string[]
  private readonly namespaces: Set<string> | undefined
  private readonly namespaceOf: ((file: string) => string | undefined) | undefined

  constructor(selection: Selection = {}) {
    this.namespaceOf = selection.namespaceOf
    this.prefixes = (selection.paths ?? []).map(normalizePrefix)
    if (this.prefixes.includes('')) this.prefixes = []
    this.namespaces = selection.namespaces?.length ? new Set(selection.namespaces) : undefined
  }

  file(path: string): boolean {
    return this.prefixes.length === 0 || this.prefixes.some((prefix) => isUnder(path, prefix))
  }

  /** Whether a directory may hold selected files, so a walker can prune the others. */
  directory(path: string): boolean {
    if (this.prefixes.length === 0 || path === '') return true
    return this.prefixes.some((prefix) => isUnder(path, prefix) || isUnder(prefix, path))
  }

  /** The namespace of a resource in `file` whose metadata names none. */
  defaultNamespace(file: string): string {
    return this.namespaceOf?.(file) || 'default'
  }

  namespace(namespace: string): boolean {
    return this.namespaces === undefined || this.namespaces.has(namespace)
  }
}

function normalizePrefix(prefix: string): string {
  let trimmed = prefix.trim().replace(/\\/g, '/')
  while (trimmed.startsWith('./')) trimmed = trimmed.slice(2)
  trimmed = trimmed.replace(/^\/+/, '').replace(/\/+$/, '')
  return trimmed === '.' ? '' : trimmed
}

function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`)
}

/** Directories holding a Chart.yaml: their templates/ are Helm templates, not manifests. */
export function chartDirectories(paths: Iterable<string>): Set<string> {
  const dirs = new Set<string>()
  for (const path of paths) {
    const slash = path.lastIndexOf('/')
    const base = path.slice(slash + 1)
    if (base === 'Chart.yaml' || base === 'Chart.yml') dirs.add(slash < 0 ? '' : path.slice(0, slash))
  }
  return dirs
}

/** A file under a chart's templates/ dir: skipped silently, never an error. */
export function isChartTemplate(path: string, text: string, charts: Set<string>): boolean {
  const segments = path.split('/')
  for (let index = 0; index < segments.length - 1; index++) {
    if (segments[index] !== 'templates') continue
    if (text.includes('{{') || charts.has(segments.slice(0, index).join('/'))) return true
  }
  return false
}
