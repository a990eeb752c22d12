// Flux v1 automation annotations on a workload's or release's metadata.annotations.
// `flux.weave.works/` and `fluxcd.io/` are the same prefix (Flux renamed it in 1.13).

import { DEFAULT_POLICY, type PolicySpec, parsePolicySpec } from '../../policies/spec.js'
import type { DocReader, Held } from '../yaml/yaml-nodes.js'

export const PREFIXES = ['fluxcd.io/', 'flux.weave.works/'] as const
/** Tag filter keys per container, first match wins: the newest Flux spelling first. */
const FILTER_PREFIXES = ['filter.fluxcd.io/', 'fluxcd.io/tag.', 'flux.weave.works/tag.'] as const

/** Dot paths (relative to spec.values) that one mapping annotation alias points at. */
export interface ValuesMapping {
  repository?: string
  tag?: string
  registry?: string
}

export interface Automation {
  automated: boolean
  locked: boolean
  ignored: boolean
  /** Raw annotation values, by key. */
  annotations: Map<string, string>
  /** `repository.fluxcd.io/<alias>` & co., by alias (= container name). */
  mappings: Map<string, ValuesMapping>
  /** Keys whose value is not a string (`automated: true` unquoted), with the value as written. */
  nonString: Map<string, string>
}

export const MAPPING_PREFIXES: [string, keyof ValuesMapping][] = [
  ['repository.fluxcd.io/', 'repository'],
  ['tag.fluxcd.io/', 'tag'],
  ['registry.fluxcd.io/', 'registry'],
]

export function readAutomation(reader: DocReader, metadata: Held | undefined): Automation {
  const annotations = new Map<string, string>()
  const nonString = new Map<string, string>()
  for (const [key, held] of reader.entries(reader.child(metadata, 'annotations'))) {
    // Annotation values are strings in Kubernetes; a plain `true` is read as its text (as Flux v1's
    // go-yaml did) and reported, since Kubernetes itself rejects the manifest.
    const text = reader.string(held)
    if (text !== undefined) {
      annotations.set(key, text)
      continue
    }
    const written = reader.sourceText(held)
    nonString.set(key, written ?? (held.node.kind === 'scalar' ? '' : held.node.kind))
    if (written !== undefined && held.node.kind === 'scalar') annotations.set(key, written)
  }
  return {
    automated: flag(annotations, 'automated'),
    locked: flag(annotations, 'locked'),
    ignored: flag(annotations, 'ignore'),
    annotations,
    mappings: readMappings(annotations),
    nonString,
  }
}

/** The tag filter for one container; DEFAULT_POLICY (glob:*) when none is set. */
export function policyFor(automation: Automation, container: string): PolicySpec {
  const keyName = annotationName(container)
  for (const prefix of FILTER_PREFIXES) {
    const value =
      automation.annotations.get(prefix + keyName) ?? automation.annotations.get(prefix + container)
    if (value !== undefined) return parsePolicySpec(value)
  }
  return DEFAULT_POLICY
}

/**
 * How an annotation key names a container: a list item `sidecars[x]` is `sidecars.x`, since
 * Kubernetes annotation keys allow only letters, digits, `-`, `_` and `.` after the prefix.
 */
export function annotationName(container: string): string {
  return container.replace(/\[([^\]]*)\]/g, '.$1')
}

/** The container a tag filter key is for (`fluxcd.io/tag.web` → `web`), if it is one. */
export function filteredContainer(key: string): string | undefined {
  for (const prefix of FILTER_PREFIXES) if (key.startsWith(prefix)) return key.slice(prefix.length)
  return undefined
}

/** A lock's `locked_msg`, with `locked_user` when set: why a locked workload does not move. */
export function lockMessage(automation: Automation): string | undefined {
  const value = (name: string) =>
    PREFIXES.map((prefix) => automation.annotations.get(prefix + name)).find((v) => v !== undefined)
  const message = value('locked_msg')
  const user = value('locked_user')
  if (!message && !user) return undefined
  return user ? `${message || 'locked'} (by ${user})` : message
}

/** Exactly `true` enables a flag; `True`, `yes` or `1` do not (as in Flux v1). */
function flag(annotations: Map<string, string>, name: string): boolean {
  return PREFIXES.some((prefix) => annotations.get(prefix + name) === 'true')
}

function readMappings(annotations: Map<string, string>): Map<string, ValuesMapping> {
  const mappings = new Map<string, ValuesMapping>()
  for (const [key, value] of annotations) {
    for (const [prefix, field] of MAPPING_PREFIXES) {
      if (!key.startsWith(prefix) || key.length === prefix.length) continue
      const alias = key.slice(prefix.length)
      const mapping = mappings.get(alias) ?? {}
      mapping[field] = value.trim()
      mappings.set(alias, mapping)
    }
  }
  return mappings
}
