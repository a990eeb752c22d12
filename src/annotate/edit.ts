// Setting and removing one workload's Flux annotations byte-exactly: text in, text out. Only the lines of the
// changed annotations move; an added key follows the map's indentation and quoting, a map emptied by removals
// goes away with its `annotations:` line (as Flux v1 left it), and a missing map is created under `metadata:`.
import { isMap, isScalar, type Pair, type Scalar, type YAMLMap } from 'yaml'
import { isWritableKey, newKey, spellings } from './keys.js'
import { formatValue, valueStyle } from './quote.js'
import { verifyAnnotated } from './verify.js'
import { AnnotateError, pairOf, parseDocuments, type WorkloadDoc, workloadsIn } from './workloads.js'

/** Policies to set (name → value) and to remove, by Flux v1 policy name (`automated`, `tag.api`). */
export interface PolicyEdit {
  set: ReadonlyMap<string, string>
  /** Removal wins over a set of the same policy (as in Flux v1). */
  remove: ReadonlySet<string>
}

export interface AnnotationChange {
  key: string
  before?: string
  after?: string
}

export interface Annotated {
  text: string
  /** Empty when the workload already had these annotations. */
  changes: AnnotationChange[]
}

interface Splice {
  start: number
  end: number
  text: string
}

type AnyPair = Pair<unknown, unknown>

export function annotateWorkload(file: string, text: string, id: string, edit: PolicyEdit): Annotated {
  const docs = parseDocuments(text)
  const broken = docs.find((doc) => doc.errors.length > 0)
  if (broken)
    throw new AnnotateError(
      `${file}: YAML does not parse (${broken.errors[0]!.message.split('\n')[0]})`,
      file,
    )
  const matches = workloadsIn(docs).filter((workload) => workload.id === id)
  if (matches.length === 0) throw new AnnotateError(`${file}: no workload ${id}`, file)
  if (matches.length > 1) throw new AnnotateError(`${file}: ${id} is defined ${matches.length} times`, file)
  const workload = matches[0]!
  const editor = new MapEditor(file, text, workload)
  const changes = editor.plan(edit)
  if (changes.length === 0) return { text, changes }
  const next = applySplices(text, editor.splices)
  verifyAnnotated(file, text, next, workload.index, workload.path, changes)
  return { text: next, changes }
}

class MapEditor {
  readonly splices: Splice[] = []
  private readonly newline: string
  private readonly metadata: YAMLMap
  private readonly annotationsPair: AnyPair | undefined
  private readonly map: YAMLMap | undefined

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly workload: WorkloadDoc,
  ) {
    this.newline = text.includes('\r\n') ? '\r\n' : '\n'
    this.metadata = workload.metadata.value as YAMLMap
    this.annotationsPair = pairOf(this.metadata, 'annotations')
    const value = this.annotationsPair?.value
    if (isMap(value)) this.map = value
    else if (this.annotationsPair && !(isScalar(value) && value.value === null && value.source === '')) {
      this.fail('metadata.annotations is not a mapping')
    }
  }

  plan(edit: PolicyEdit): AnnotationChange[] {
    const items = (this.map?.items ?? []) as AnyPair[]
    const keyOf = (pair: AnyPair) => (isScalar(pair.key) ? String(pair.key.value) : '')
    const existingKeys = items.map(keyOf)
    const changes: AnnotationChange[] = []
    const removed: AnyPair[] = []
    const added: [string, string][] = []
    for (const policy of edit.remove) {
      for (const pair of items.filter((item) => spellings(policy).includes(keyOf(item)))) {
        removed.push(pair)
        changes.push({ key: keyOf(pair), before: scalarText(pair) })
      }
    }
    const style = valueStyle(items.map((pair) => pair.value))
    for (const [policy, value] of edit.set) {
      if (edit.remove.has(policy)) continue
      const present = items.filter((item) => spellings(policy).includes(keyOf(item)))
      for (const pair of present) {
        if (isScalar(pair.value) && pair.value.value === value) continue
        this.replaceValue(pair, value, style)
        changes.push({ key: keyOf(pair), before: scalarText(pair), after: value })
      }
      if (present.length > 0) continue
      const key = newKey(policy, existingKeys)
      if (!isWritableKey(key)) this.fail(`"${key}" is not a valid annotation key`)
      added.push([key, formatValue(value, style)])
      changes.push({ key, after: value })
    }
    if (changes.length > 0) this.layOut(items, removed, added)
    return changes
  }

  private layOut(items: AnyPair[], removed: AnyPair[], added: [string, string][]): void {
    if (this.map?.flow) {
      if (removed.length > 0) this.fail('annotations written as a flow map {…}: remove these keys by hand')
      if (added.length > 0) this.addToFlowMap(added)
      return
    }
    if (removed.length === items.length && items.length > 0 && added.length === 0) {
      this.splices.push(this.pairSpan(this.annotationsPair!))
      return
    }
    for (const pair of removed) this.splices.push(this.pairSpan(pair))
    if (added.length === 0) return
    if (items.length > 0) {
      const indent = this.columnOf(items[0]!)
      this.insertLines(
        this.pairEnd(items.at(-1)!),
        added.map(([key, value]) => `${indent}${key}: ${value}`),
      )
    } else if (this.annotationsPair) {
      const indent = this.childIndent(this.annotationsPair)
      this.insertLines(
        this.pairEnd(this.annotationsPair),
        added.map(([k, v]) => `${indent}${k}: ${v}`),
      )
    } else {
      this.createMap(added)
    }
  }

  /** `annotations:` after metadata's last key, at metadata's indentation, its keys one level deeper. */
  private createMap(added: [string, string][]): void {
    if (this.metadata.flow) this.fail('metadata written as a flow map {…}: add the annotations by hand')
    const pairs = this.metadata.items as AnyPair[]
    const indent = this.columnOf(pairs[0]!)
    const inner =
      indent + ' '.repeat(Math.max(2, indent.length - this.columnOf(this.workload.metadata).length))
    const lines = [`${indent}annotations:`, ...added.map(([key, value]) => `${inner}${key}: ${value}`)]
    this.insertLines(this.pairEnd(pairs.at(-1)!), lines)
  }

  private addToFlowMap(added: [string, string][]): void {
    const close = (this.map!.range![1] ?? 0) - 1
    if (this.text[close] !== '}') this.fail('cannot find the end of the annotations flow map')
    const entries = added.map(([key, value]) => `${key}: ${value}`).join(', ')
    const separator = this.map!.items.length > 0 ? ', ' : ''
    this.splices.push({ start: close, end: close, text: separator + entries })
  }

  private replaceValue(pair: AnyPair, value: string, style: string): void {
    const node = pair.value
    if (!isScalar(node) || !node.range) this.fail(`${String((pair.key as Scalar).value)} is not a scalar`)
    const written = node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE' || node.type === 'PLAIN'
    const own = written ? node.type! : style
    const [start, end] = node.range
    // A block scalar's range ends after its last line break, which stays.
    const keepBreak = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED' ? this.newline : ''
    this.splices.push({ start, end, text: formatValue(value, own) + keepBreak })
  }

  /** The whole lines of one block-map pair: from its key's line start to the end of its value's last line. */
  private pairSpan(pair: AnyPair): Splice {
    const keyStart = (pair.key as Scalar).range![0]
    const lineStart = this.text.lastIndexOf('\n', keyStart - 1) + 1
    if (this.text.slice(lineStart, keyStart).trim() !== '') {
      this.fail(`${String((pair.key as Scalar).value)} does not start its own line; edit it by hand`)
    }
    return { start: lineStart, end: this.pairEnd(pair), text: '' }
  }

  private pairEnd(pair: AnyPair): number {
    const value = pair.value as Scalar | YAMLMap | null
    const end =
      value?.range && value.range[1] > value.range[0] ? value.range[1] : (pair.key as Scalar).range![1]
    return endOfLine(this.text, end - 1)
  }

  private insertLines(at: number, lines: string[]): void {
    const lead = at > 0 && this.text[at - 1] !== '\n' ? this.newline : ''
    this.splices.push({ start: at, end: at, text: lead + lines.map((line) => line + this.newline).join('') })
  }

  private columnOf(pair: AnyPair): string {
    const start = (pair.key as Scalar).range![0]
    const lineStart = this.text.lastIndexOf('\n', start - 1) + 1
    const before = this.text.slice(lineStart, start)
    if (before.trim() !== '' && !/^\s*(?:-\s+)+$/.test(before))
      this.fail('unexpected layout before metadata keys')
    return ' '.repeat(start - lineStart)
  }

  private childIndent(pair: AnyPair): string {
    return `${this.columnOf(pair)}  `
  }

  private fail(problem: string): never {
    throw new AnnotateError(`${this.file}: ${this.workload.id}: ${problem}`, this.file)
  }
}

function scalarText(pair: AnyPair): string | undefined {
  return isScalar(pair.value) && pair.value.value !== null ? String(pair.value.value) : undefined
}

/** The index just after the line break that ends the line holding `index`. */
function endOfLine(text: string, index: number): number {
  const next = text.indexOf('\n', Math.max(index, 0))
  return next < 0 ? text.length : next + 1
}

function applySplices(text: string, splices: Splice[]): string {
  const ordered = [...splices].sort((a, b) => b.start - a.start || b.end - a.end)
  let out = text
  for (const splice of ordered) out = out.slice(0, splice.start) + splice.text + out.slice(splice.end)
  return out
}
