// A fast reader for the plain block YAML that Kubernetes manifests are mostly written in.
// The full parser costs ~140 µs per HelmRelease document; this one ~10x less. It accepts only a
// strict subset — block maps and sequences, single-line plain and quoted scalars, comments,
// `{}`/`[]`, `---` — and gives up (returns undefined) on anything else, so the caller falls
// back to the full parser: anchors, aliases, tags, block scalars, flow collections, multi-line
// scalars, escapes, tabs, directives, `...`, duplicate keys, keys over 1024 characters, `---`
// followed by anything but spaces and a comment. What it accepts it reads exactly
// as the `yaml` package does (same values, ranges, scalar types; checked by a property test).

import { BAIL, bail, resolvePlain } from './fast-values.js'
import type { YamlMap, YamlNode, YamlScalar, YamlSeq } from './parse.js'

export interface FastDoc {
  contents: YamlNode | null
}

const PLAIN_KEY = /^[\w$][\w./$+~@-]*$/
/** Characters that start something other than a plain scalar (anchor, alias, tag, block, flow…). */
const INDICATORS = new Set(['&', '*', '!', '|', '>', '%', '@', '`', ',', ']', '}', '#', '?', ':'])
const MAX_KEY_CHARS = 1024

export function fastParse(text: string): FastDoc[] | undefined {
  if (text.includes('\t') || /\r(?!\n)/.test(text)) return undefined
  try {
    return new FastParser(text).documents()
  } catch (error) {
    if (error === BAIL) return undefined
    throw error
  }
}

class FastParser {
  /** Per line: start offset, end offset (before \r\n), indent (leading spaces). */
  private readonly starts: number[] = []
  private readonly ends: number[] = []
  private readonly indents: number[] = []
  private cursor = 0
  private limit = 0

  constructor(private readonly text: string) {
    let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0
    for (;;) {
      let newline = text.indexOf('\n', pos)
      if (newline < 0) newline = text.length
      const end = newline > pos && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline
      let indent = 0
      while (pos + indent < end && text.charCodeAt(pos + indent) === 32) indent++
      this.starts.push(pos)
      this.ends.push(end)
      this.indents.push(indent)
      if (newline >= text.length) break
      pos = newline + 1
    }
  }

  documents(): FastDoc[] {
    // yaml counts a BOM as a column of the first line: indentation or a compact `- key:` right
    // after it would be read with shifted columns. Leave those to the full parser.
    if (this.starts[0] === 1 && (this.indents[0]! > 0 || this.isDash(0, 0))) bail()
    const docs: FastDoc[] = []
    let from = 0
    let explicit = false
    for (let line = 0; line <= this.starts.length; line++) {
      const marker = line < this.starts.length ? this.marker(line) : true
      if (!marker) continue
      if (explicit || this.nextContent(from, line) >= 0) docs.push(this.document(from, line))
      from = line + 1
      explicit = true
    }
    return docs
  }

  /** Whether the line is `---`; `...`, directives and `--- content` are left to the full parser. */
  private marker(line: number): boolean {
    const start = this.starts[line]!
    const head = this.text.slice(start, Math.min(start + 4, this.ends[line]!))
    if (head.startsWith('%') || /^\.\.\.(?: |$)/.test(head)) bail()
    if (!/^---(?: |$)/.test(head)) return false
    // Only spaces separate `---` from a comment: a NBSP, BOM or other Unicode space is content to
    // YAML (an error there), so it is left to the full parser, which reports it.
    let at = start + 3
    while (at < this.ends[line]! && this.text.charCodeAt(at) === 32) at++
    if (at < this.ends[line]! && this.text[at] !== '#') bail()
    return true
  }

  private document(from: number, to: number): FastDoc {
    this.limit = to
    const first = this.nextContent(from, to)
    if (first < 0) return { contents: null }
    const contents = this.block(first, this.indents[first]!)
    if (this.nextContent(this.cursor, to) >= 0) bail()
    return { contents }
  }

  private block(line: number, col: number): YamlNode {
    return this.isDash(line, col) ? this.sequence(line, col) : this.map(line, col)
  }

  private map(firstLine: number, col: number): YamlMap {
    const map: YamlMap = { kind: 'map', keys: [], values: [] }
    // Duplicate keys go to the full parser (an error there): a scan of the few keys of a manifest's
    // map, and a set only for large maps (ConfigMap data), where the scan would be quadratic.
    let seen: Set<string | undefined> | undefined
    let line = firstLine
    for (;;) {
      const [keyText, after] = this.key(line, col)
      if (keyText === '__proto__') bail()
      if (seen === undefined && map.keys.length >= 16) seen = new Set(map.keys)
      if (seen ? seen.has(keyText) : map.keys.includes(keyText)) bail()
      seen?.add(keyText)
      const value = this.value(line, after, col, true)
      map.keys.push(keyText)
      map.values.push(value)
      const next = this.nextContent(this.cursor, this.limit)
      if (next < 0 || this.indents[next]! < col) break
      if (this.indents[next]! > col) bail()
      line = next
    }
    return map
  }

  private sequence(firstLine: number, col: number): YamlSeq {
    const seq: YamlSeq = { kind: 'seq', items: [] }
    let line = firstLine
    for (;;) {
      const at = this.skipSpaces(line, col + 1)
      if (this.isDash(line, at - this.starts[line]!)) bail()
      seq.items.push(this.value(line, at, col, false))
      const next = this.nextContent(this.cursor, this.limit)
      if (next < 0 || this.indents[next]! < col) break
      if (this.indents[next]! > col) bail()
      if (!this.isDash(next, col)) break
      line = next
    }
    return seq
  }

  /** The value after `key:` or `-` starting at offset `at` of `line`; `col` is the owner's column. */
  private value(line: number, at: number, col: number, ofKey: boolean): YamlNode {
    const end = this.ends[line]!
    if (at >= end || this.text[at] === '#') {
      if (at < end && this.text[at - 1] !== ' ') bail()
      const next = this.nextContent(line + 1, this.limit)
      if (next >= 0 && this.indents[next]! > col) return this.block(next, this.indents[next]!)
      // A sequence may sit at its key's own indent (`containers:` then `- name: …`).
      if (ofKey && next >= 0 && this.indents[next]! === col && this.isDash(next, col)) {
        return this.sequence(next, col)
      }
      this.cursor = line + 1
      return this.scalar(null, at, at, 'PLAIN')
    }
    const column = at - this.starts[line]!
    if (!ofKey && this.keyEnd(line, column) >= 0) return this.map(line, column)
    this.cursor = line + 1
    return this.inline(at, end)
  }

  /** A scalar or empty flow collection that ends on its line, before an optional comment. */
  private inline(at: number, end: number): YamlNode {
    const text = this.text
    const first = text[at]!
    if (first === '"' || first === "'") {
      const close = this.closingQuote(at, end)
      this.expectLineEnd(close + 1, end)
      const inner = text.slice(at + 1, close)
      const value = first === "'" ? inner.replace(/''/g, "'") : inner
      return this.scalar(value, at, close + 1, first === "'" ? 'QUOTE_SINGLE' : 'QUOTE_DOUBLE')
    }
    if (first === '{' || first === '[') {
      if (text[at + 1] !== (first === '{' ? '}' : ']')) bail()
      this.expectLineEnd(at + 2, end)
      if (first === '{') return { kind: 'map', keys: [], values: [] }
      return { kind: 'seq', items: [] }
    }
    if (INDICATORS.has(first) || (first === '-' && (at + 1 >= end || text[at + 1] === ' '))) bail()
    let stop = at
    while (stop < end && !(text.charCodeAt(stop) === 35 && text.charCodeAt(stop - 1) === 32)) stop++
    while (stop > at && text.charCodeAt(stop - 1) === 32) stop--
    const source = text.slice(at, stop)
    if (source.includes(': ') || source.endsWith(':')) bail()
    return this.scalar(source, at, stop, 'PLAIN')
  }

  private scalar(source: string | null, start: number, end: number, style: string): YamlScalar {
    let value: unknown = source
    if (style === 'PLAIN') value = source === null ? null : resolvePlain(source)
    return { kind: 'scalar', value, style, source: source ?? '', range: [start, end] }
  }

  /** A `key:` at the column: the key's text and the offset after the colon's spaces. */
  private key(line: number, col: number): [string, number] {
    const sep = this.keyEnd(line, col)
    if (sep < 0) bail()
    const start = this.starts[line]! + col
    // YAML limits an implicit key to 1024 characters up to its `:` (yaml: KEY_OVER_1024_CHARS).
    if (sep - start > MAX_KEY_CHARS) bail()
    const quote = this.text[start]
    let key: string
    if (quote === '"' || quote === "'") {
      key = this.text.slice(start + 1, sep - 1)
      if (quote === "'") key = key.replace(/''/g, "'")
    } else {
      key = this.text.slice(start, sep)
      if (typeof resolvePlain(key) !== 'string') bail()
    }
    return [key, this.skipSpaces(line, sep + 1 - this.starts[line]!)]
  }

  /** Offset of the `:` ending a simple key at the column, or -1 when the line holds no such key. */
  private keyEnd(line: number, col: number): number {
    const start = this.starts[line]! + col
    const end = this.ends[line]!
    const first = this.text[start]
    let sep: number
    if (first === '"' || first === "'") {
      sep = this.closingQuote(start, end, false) + 1
      if (sep <= 0 || this.text[sep] !== ':') return -1
    } else {
      sep = this.text.indexOf(':', start)
      if (sep < 0 || sep >= end || !PLAIN_KEY.test(this.text.slice(start, sep))) return -1
    }
    return sep + 1 === end || this.text[sep + 1] === ' ' ? sep : -1
  }

  /** Offset of the closing quote on the same line; escapes and line breaks go to the full parser. */
  private closingQuote(open: number, end: number, strict = true): number {
    const quote = this.text[open]
    for (let pos = open + 1; pos < end; pos++) {
      const char = this.text[pos]
      if (quote === '"' && char === '\\') return strict ? bail() : -1
      if (char !== quote) continue
      if (quote === "'" && this.text[pos + 1] === "'") {
        pos++
        continue
      }
      return pos
    }
    return strict ? bail() : -1
  }

  private expectLineEnd(pos: number, end: number): void {
    let at = pos
    while (at < end && this.text.charCodeAt(at) === 32) at++
    if (at < end && (this.text[at] !== '#' || at === pos)) bail()
  }

  private isDash(line: number, col: number): boolean {
    const at = this.starts[line]! + col
    return this.text[at] === '-' && (at + 1 === this.ends[line] || this.text[at + 1] === ' ')
  }

  private skipSpaces(line: number, col: number): number {
    let at = this.starts[line]! + col
    while (at < this.ends[line]! && this.text.charCodeAt(at) === 32) at++
    return at
  }

  /** The next line in [from, to) holding more than spaces or a comment, or -1. */
  private nextContent(from: number, to: number): number {
    for (let line = from; line < to; line++) {
      const at = this.starts[line]! + this.indents[line]!
      if (at < this.ends[line]! && this.text[at] !== '#') return line
    }
    return -1
  }
}
