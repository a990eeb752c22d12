// The normalized form of a tag filter annotation value. Parsing here only splits the prefix;
// the policy constructors (factory.ts) validate the pattern itself.

export type PolicyKind = 'glob' | 'semver' | 'regex' | 'alphabetical' | 'numerical'

export interface PolicySpec {
  kind: PolicyKind
  /** The glob, semver range or regular expression; '' for alphabetical and numerical. */
  pattern: string
  /** alphabetical and numerical: which end is newest (Flux v2 ImagePolicy; asc means the greatest wins). */
  order?: 'asc' | 'desc'
  /** Flux v2 `filterTags`: an RE2 filter applied first; the policy orders the `extract` expansion ($1, $name). */
  filterTags?: { pattern: string; extract?: string }
  /** RE2 patterns of tags that are never candidates (Flux v2 ImageRepository `exclusionList`), beside the globs. */
  excludePatterns?: readonly string[]
  /** How the policy is shown when it did not come from an annotation, e.g. `flux:apps/podinfo`. */
  label?: string
}

export const DEFAULT_POLICY: PolicySpec = { kind: 'glob', pattern: '*' }

/**
 * `glob:dev-*`, `semver:~1.2`, `regex:^x`, `regexp:^x`, `alphabetical:asc`, `numerical:desc`, or a
 * bare value meaning glob.
 */
export function parsePolicySpec(value: string): PolicySpec {
  const trimmed = value.trim()
  const colon = trimmed.indexOf(':')
  const prefix = colon >= 0 ? trimmed.slice(0, colon) : ''
  const rest = trimmed.slice(colon + 1)
  switch (prefix) {
    case 'glob':
      return { kind: 'glob', pattern: rest }
    case 'semver':
      return { kind: 'semver', pattern: rest }
    case 'regex':
    case 'regexp':
      return { kind: 'regex', pattern: rest }
    case 'alphabetical':
    case 'numerical': {
      const order = rest.trim()
      // Anything but asc/desc stays in the pattern, where the policy refuses it by name.
      if (order === 'asc' || order === 'desc') return { kind: prefix, pattern: '', order }
      return { kind: prefix, pattern: rest }
    }
    default:
      return { kind: 'glob', pattern: trimmed }
  }
}

/** The prefixes parsePolicySpec knows, for "did you mean". */
export const FILTER_PREFIXES = ['glob', 'semver', 'regex', 'regexp', 'alphabetical', 'numerical'] as const

/** The known prefix closest to a mistyped one (`semvr` → `semver`), by edit distance. */
export function closestPrefix(written: string): string {
  let best: string = FILTER_PREFIXES[0]
  let bestDistance = Number.POSITIVE_INFINITY
  for (const prefix of FILTER_PREFIXES) {
    const distance = editDistance(written.toLowerCase(), prefix)
    if (distance < bestDistance) {
      best = prefix
      bestDistance = distance
    }
  }
  return best
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = row
  }
  return previous[b.length]!
}

export function formatPolicySpec(spec: PolicySpec): string {
  if (spec.label !== undefined) return spec.label
  const ordered = spec.kind === 'alphabetical' || spec.kind === 'numerical'
  const base =
    ordered && spec.pattern === '' ? `${spec.kind}:${spec.order ?? 'asc'}` : `${spec.kind}:${spec.pattern}`
  const filter = spec.filterTags
  if (filter === undefined) return base
  const extract = filter.extract ? ` extract ${JSON.stringify(filter.extract)}` : ''
  return `${base} on filterTags ${JSON.stringify(filter.pattern)}${extract}`
}
