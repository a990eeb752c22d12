// Flux v1 automation annotations on a workload's or release's metadata.annotations.
// `flux.weave.works/` and `fluxcd.io/` are the same prefix (Flux renamed it in 1.13).

import { DEFAULT_POLICY, type PolicySpec, parsePolicySpec } from '../../policies/spec.js'
import type { DocReader, Held } from '../yaml/yaml-nodes.js'

const PREFIXES = ['fluxcd.io/', 'flux.weave.works/'] as const
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
}

const MAPPING_PREFIXES: [string, keyof ValuesMapping][] = [
  ['repository.fluxcd.io/', 'repository'],
  ['tag.fluxcd.io/', 'tag'],
  ['registry.fluxcd.io/', 'registry'],
]

export function readAutomation(reader: DocReader, metadata: Held | undefined): Automation {
  const annotations = new Map<string, string>()
  for (const [key, held] of reader.entries(reader.child(metadata, 'annotations'))) {
    // Annotation values are strings in Kubernetes; a plain `true` is read as its text.
    const text = reader.string(held) ?? reader.sourceText(held)
    if (text !== undefined) annotations.set(key, text)
  }
  return {
    automated: flag(annotations, 'automated'),
    locked: flag(annotations, 'locked'),
    ignored: flag(annotations, 'ignore'),
    annotations,
    mappings: readMappings(annotations),
  }
}

/** The tag filter for one container; DEFAULT_POLICY (glob:*) when none is set. */
export function policyFor(automation: Automation, container: string): PolicySpec {
  for (const prefix of FILTER_PREFIXES) {
    const value = automation.annotations.get(prefix + container)
    if (value !== undefined) return parsePolicySpec(value)
  }
  return DEFAULT_POLICY
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
