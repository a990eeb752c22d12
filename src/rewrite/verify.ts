// Verification after splicing: re-parse the result and require that every document reads as the
// original with only the edited scalars changed, to their intended values. Anything else moved
// (a quote broke out, a number became a string, an alias site changed) refuses the whole file.
// Both texts are read by a full parser, never the fast reader that planned the edit, so a reader bug
// cannot vouch for itself: js-yaml (yaml/full-read.ts, ~6× cheaper) for files without anchors, the
// `yaml` package for the rest. The full parser must also read the replaced value where discovery
// found it; a parser warning the original did not have refuses too. Each new scalar is also read
// under YAML 1.1 (Kubernetes' and Helm's reader) and must hold the same value.
import { type Document, parseAllDocuments, parseDocument } from 'yaml'
import type { Problem } from '../problems.js'
import { readAllDocuments } from '../yaml/full-read.js'
import { MAX_ALIAS_COUNT, parseYaml, type YamlDoc, type YamlNode } from '../yaml/parse.js'
import { sameValues } from '../yaml/same-values.js'

export interface Splice {
  doc: number
  path: (string | number)[]
  range: [number, number]
  /** New source text of the scalar. */
  source: string
  /** What the new source must read back as. */
  value: string | number
  /** The scalar's explicit tag, kept in front of the new source. */
  tag?: string
  /** The value discovery read there (ScalarLocation.value); the full parser must agree. */
  oldValue?: string
}

export function verifyRewrite(
  file: string,
  before: string,
  after: string,
  splices: Splice[],
): Problem | undefined {
  let reason: string | undefined
  for (const splice of splices) reason ??= checkYaml11(splice)
  // js-yaml expands an alias to a shared object, so comparing an alias bomb would walk every path:
  // a file that may hold anchors or aliases goes through `yaml`, which counts expansions. So does one
  // js-yaml cannot read at all (it is stricter in places): a file `yaml` reads is never refused for that.
  if (reason === undefined && !mayHoldAnchors(before)) {
    const original = readAllDocuments(before)
    if ('error' in original) reason = compareWithYaml(before, after, splices)
    else {
      const result = readAllDocuments(after)
      reason =
        'error' in result
          ? `the result does not parse (${result.error})`
          : compareReadings(ofFullRead(original), ofFullRead(result), splices, checkOldValue)
    }
  } else reason ??= compareWithYaml(before, after, splices)
  if (reason === undefined) return undefined
  return {
    code: 'REWRITE_VERIFY',
    file,
    message: `${file}: rewrite refused, ${reason}; nothing was written to this file`,
  }
}

/** `&name` or `*name` after a space, a flow indicator or at a line start; may also match in quotes and comments. */
const ANCHOR_OR_ALIAS = /(?:^|[\s[{,])[&*][^\s,[\]{}]/m

function mayHoldAnchors(text: string): boolean {
  return ANCHOR_OR_ALIAS.test(text)
}

/** One parser's reading of a text: its warning codes, and its documents as JS values when asked. */
interface Reading {
  count: number
  warnings: string[]
  docs: () => unknown[]
}

const ofFullRead = (read: { docs: unknown[]; warnings: string[] }): Reading => ({
  count: read.docs.length,
  warnings: read.warnings,
  docs: () => read.docs,
})

/**
 * The result must read as the original with the spliced values put in, and nothing else; `checkSplice`
 * first vouches for each splice against the original (its expected documents at hand).
 */
function compareReadings(
  original: Reading,
  result: Reading,
  splices: Splice[],
  checkSplice: (splice: Splice, expected: unknown[]) => string | undefined,
): string | undefined {
  const warning = newWarning(original.warnings, result.warnings)
  if (warning) return `the result has a YAML warning the original did not (${warning})`
  if (original.count !== result.count) {
    return `the result has ${result.count} documents instead of ${original.count}`
  }
  const expected = original.docs()
  for (const splice of splices) {
    const reason = checkSplice(splice, expected) ?? substitute(expected, splice)
    if (reason) return reason
  }
  const read = result.docs()
  for (let index = 0; index < expected.length; index++) {
    if (!sameValues(expected[index], read[index])) {
      return `document ${index + 1} changed beyond the edited values`
    }
  }
  return undefined
}

/**
 * The full parser must read the value discovery planned to replace exactly where discovery found it:
 * this is where the fast reader's reading of the original is checked by another parser.
 */
function checkOldValue(splice: Splice, docs: unknown[]): string | undefined {
  let value: unknown = docs
  for (const key of [splice.doc, ...splice.path]) {
    value =
      typeof value === 'object' && value !== null
        ? (value as Record<string | number, unknown>)[key]
        : undefined
  }
  const old = splice.oldValue
  if (old === undefined || value === old) return undefined
  // A plain scalar that reads as a number or boolean (`tag: 150`) has the text discovery saw.
  if (typeof value !== 'string' && value !== undefined && (String(value) === old || value === Number(old))) {
    return undefined
  }
  return `the full parser reads ${JSON.stringify(value)} at ${splice.path.join('.')}, not ${JSON.stringify(old)} as discovery did`
}

/** Both sides read by the `yaml` package: the original through parseYaml (its node model checks aliases). */
function compareWithYaml(before: string, after: string, splices: Splice[]): string | undefined {
  const original = parseYaml(before)
  if (original.error) return 'the original does not parse'
  // The full parser's documents as they are: the node model parseYaml builds is not needed here, nor
  // line positions in errors (prettyErrors costs a quarter of the parse), since only codes are shown.
  const result = parseAllDocuments(after, { prettyErrors: false }) as Document.Parsed[]
  const error = result.find((doc) => doc.errors.length > 0)?.errors[0]
  if (error) return `the result does not parse (${error.code})`
  try {
    return compareReadings(
      {
        count: original.docs.length,
        warnings: original.warnings,
        docs: () => original.docs.map((doc) => doc.toJS()),
      },
      {
        count: result.length,
        warnings: result.flatMap((doc) => doc.warnings.map((warning) => warning.code)),
        docs: () => result.map((doc) => doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })),
      },
      splices,
      (splice) => checkScalar(original.docs[splice.doc], splice),
    )
  } catch (error) {
    return `the YAML cannot be compared (${error instanceof Error ? error.message : String(error)})`
  }
}

/**
 * The original must hold the edited scalar exactly where the splice put the new bytes, and not
 * as a value that aliases share: there the bytes of one place stand for several values.
 */
function checkScalar(doc: YamlDoc | undefined, splice: Splice): string | undefined {
  const where = `at ${splice.path.join('.')}`
  if (!doc) return `document ${splice.doc + 1} is missing (${where})`
  let node: YamlNode | undefined = doc.contents ?? undefined
  for (const key of splice.path) {
    if (isAnchorShared(node, doc)) return `the value ${where} is inside an anchor that aliases share`
    node = childOf(node, key)
    if (node?.kind === 'alias') return `the value ${where} comes from an alias`
  }
  if (isAnchorShared(node, doc)) return `the value ${where} has an anchor that aliases share`
  if (node?.kind !== 'scalar' || node.range[0] !== splice.range[0] || node.range[1] !== splice.range[1]) {
    return `the scalar ${where} is not where discovery found it (the file changed since)`
  }
  return undefined
}

function childOf(node: YamlNode | undefined, key: string | number): YamlNode | undefined {
  if (node?.kind === 'map' && typeof key === 'string') return node.values[node.keys.indexOf(key)]
  if (node?.kind === 'seq' && typeof key === 'number') return node.items[key]
  return undefined
}

function isAnchorShared(node: YamlNode | undefined, doc: YamlDoc): boolean {
  return (
    node !== undefined && node.kind !== 'alias' && node.anchor !== undefined && doc.aliased.has(node.anchor)
  )
}

/** Puts the intended value into the original's JS value: the result must equal that. */
function substitute(expected: unknown[], splice: Splice): string | undefined {
  const keys = [splice.doc, ...splice.path]
  let holder: unknown = expected
  for (const key of keys.slice(0, -1)) {
    holder = (holder as Record<string | number, unknown> | null)?.[key]
  }
  if (typeof holder !== 'object' || holder === null) return `no value at ${splice.path.join('.')} to compare`
  ;(holder as Record<string | number, unknown>)[keys[keys.length - 1]!] = splice.value
  return undefined
}

function newWarning(before: string[], after: string[]): string | undefined {
  const left = [...before]
  for (const code of after) {
    const index = left.indexOf(code)
    if (index < 0) return code
    left.splice(index, 1)
  }
  return undefined
}

/** The new scalar alone, read as YAML 1.1 with its tag, must be the intended value. */
function checkYaml11(splice: Splice): string | undefined {
  const tagged = splice.tag === undefined ? splice.source : `!<${splice.tag}> ${splice.source}`
  const value = readYaml11(tagged)
  if (value === splice.value) return undefined
  return `the new value at ${splice.path.join('.')} reads as ${JSON.stringify(value)} under YAML 1.1, not ${JSON.stringify(splice.value)}`
}

/** Runs rewrite the same few tags into many files: each distinct scalar is read once. */
const yaml11Reads = new Map<string, unknown>()

function readYaml11(source: string): unknown {
  if (yaml11Reads.has(source)) return yaml11Reads.get(source)
  const read = parseDocument(source, { version: '1.1' })
  const value: unknown = read.errors.length > 0 ? undefined : read.toJS()
  if (yaml11Reads.size >= 4096) yaml11Reads.clear()
  yaml11Reads.set(source, value)
  return value
}
