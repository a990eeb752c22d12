// A second, independent full YAML parser (js-yaml) for verifying rewritten files. Rewrite
// verification must read every changed file with a complete parser, not the fast reader that planned
// the edit. The `yaml` package's documents cost ~220 µs a HelmRelease (lexer, CST, composer, toJS;
// 2.2 s of a 10,000-file run, measured in bench/core.bench.ts) where js-yaml builds plain values in
// ~25–40 µs. Being a different implementation also means a bug of one parser cannot vouch for itself.
//
// The schema is YAML 1.2 core (what `yaml` and Kubernetes' sigs.k8s.io/yaml agree on for the values
// we compare); any other tag (`!!binary`, `!vault`, …) is read as the plain value it is written as,
// so files with custom tags can be verified: only the comparison of the same parser's readings of
// the file before and after matters, and the YAML 1.1 reading of each new scalar is checked apart.

import jsYaml from 'js-yaml'

/** Warnings of the read in progress (loadAll is synchronous, so one read at a time). */
let reading: string[] = []

/** An unknown tag is noted as `yaml` notes it, so a result that gains one is refused like a `yaml` warning. */
const anyTag = (kind: 'scalar' | 'sequence' | 'mapping') =>
  new jsYaml.Type('', {
    kind,
    multi: true,
    construct: (data: unknown) => {
      reading.push('TAG_RESOLVE_FAILED')
      return data
    },
  })

const SCHEMA = jsYaml.CORE_SCHEMA.extend([anyTag('scalar'), anyTag('sequence'), anyTag('mapping')])

export type FullRead = { docs: unknown[]; warnings: string[] } | { error: string }

/** Every document of `text` as plain JS values, or the parser's error (reason only, no excerpt). */
export function readAllDocuments(text: string): FullRead {
  const warnings: string[] = []
  reading = warnings
  try {
    const docs = jsYaml.loadAll(text, undefined, {
      schema: SCHEMA,
      onWarning: (warning) => warnings.push(warning.reason),
    })
    return { docs, warnings }
  } catch (error) {
    const reason = (error as { reason?: string }).reason
    return { error: reason ?? (error instanceof Error ? error.message : String(error)) }
  }
}
