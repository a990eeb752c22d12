// Annotation mistakes are loud: a misspelt Flux key, a tag filter for a container the workload does
// not have, or a value that is not a string would otherwise mean `glob:*` (or nothing) in silence.
// Each becomes an ANNOTATION warning: reported with targets, plans and runs, never failing them.

import type { Problem } from '../problems.js'
import {
  type Automation,
  annotationName,
  filteredContainer,
  MAPPING_PREFIXES,
  PREFIXES,
} from './annotations.js'
import { closestMatch } from './suggest.js'

/**
 * Keys Flux v1 gave a meaning under its prefixes (fluxcd/flux pkg/policy and the sync bookkeeping
 * it wrote to cluster objects); `tag.<container>` is checked against the containers instead.
 */
const KNOWN_KEYS = [
  'automated',
  'locked',
  'locked_msg',
  'locked_user',
  'ignore',
  'sync-checksum',
  'antecedent',
]

export interface AnnotatedWorkload {
  file: string
  workload: string
  /** Every container (or values image) discovery found, whatever became of it. */
  containers: string[]
}

export function annotationWarnings(automation: Automation, owner: AnnotatedWorkload): Problem[] {
  const warnings: Problem[] = []
  const warn = (message: string) => {
    warnings.push({
      code: 'ANNOTATION',
      severity: 'warning',
      file: owner.file,
      workload: owner.workload,
      message: `${owner.file}: ${owner.workload}: ${message}`,
    })
  }
  const keyNames = new Map(owner.containers.map((container) => [annotationName(container), container]))
  for (const key of annotationKeys(automation)) {
    const container = filteredContainer(key)
    if (container !== undefined) {
      if (!keyNames.has(container) && !owner.containers.includes(container)) {
        warn(noSuchContainer(key, container, [...keyNames.keys()]))
      }
      continue
    }
    const prefix = PREFIXES.find((candidate) => key.startsWith(candidate))
    if (prefix === undefined) continue
    const name = key.slice(prefix.length)
    if (KNOWN_KEYS.includes(name)) continue
    const known = [...KNOWN_KEYS, ...[...keyNames.keys()].map((container) => `tag.${container}`)]
    const hint = closestMatch(name, known)
    const meaning = hint
      ? `; did you mean ${prefix}${hint}?`
      : `; known keys: ${KNOWN_KEYS.join(', ')}, tag.<container>`
    warn(`annotation ${key} is not one imagebot knows, so it has no effect${meaning}`)
  }
  for (const [key, written] of automation.nonString) {
    if (!isOurs(key)) continue
    warn(
      `annotation ${key}: ${written || '(empty)'} is not a string, and Kubernetes rejects non-string annotation values; ` +
        `quote it (${key}: "${written}"). imagebot reads it as the text written`,
    )
  }
  return warnings
}

function noSuchContainer(key: string, container: string, names: string[]): string {
  const prefix = key.slice(0, key.length - container.length)
  const hint = closestMatch(container, names)
  const listed = names.length > 0 ? `containers: ${names.join(', ')}` : 'no images found'
  const meaning = hint ? `did you mean ${prefix}${hint}?` : 'the filter applies to nothing'
  return `annotation ${key} names no container of the workload (${listed}); ${meaning}`
}

function annotationKeys(automation: Automation): string[] {
  return [...new Set([...automation.annotations.keys(), ...automation.nonString.keys()])]
}

function isOurs(key: string): boolean {
  return (
    PREFIXES.some((prefix) => key.startsWith(prefix)) ||
    filteredContainer(key) !== undefined ||
    MAPPING_PREFIXES.some(([prefix]) => key.startsWith(prefix))
  )
}
