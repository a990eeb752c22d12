// The fast reader must read what it accepts exactly as the `yaml` package does, and give up on
// everything else. Checked on generated manifests and on mutations of them (garbage included).

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Document, isMap, isScalar, isSeq, type Node, parseAllDocuments } from 'yaml'
import { fastToJS } from './fast-values.js'
import type { YamlNode } from './parse.js'
import { fastParse } from './yaml-fast.js'

/** mulberry32: a tiny seeded PRNG, so a failing seed reproduces. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SCALARS = [
  'nginx:1.2',
  'dev-abc',
  '150',
  '1.10',
  'true',
  'yes',
  'null',
  '~',
  '0x1F',
  '0o17',
  '-1',
  '.5',
  '1e3',
  "'single'",
  "'it''s'",
  '"double"',
  '"a # b"',
  'a#b',
  'http://x.y/z',
  '{}',
  '[]',
  'semver:~1.0',
  'glob:dev-*',
  '"true"',
  "''",
  '""',
  'a b c',
  '-x',
  '2024-01-02',
  '.inf',
  '+12',
  'NULL',
  'False',
]
/** Values and keys that are valid or invalid in ways a simple reader gets wrong; used sparingly. */
const TRICKY = [
  "'x: y'",
  '"k: v"',
  'x - y',
  'a  #b',
  'trailing   ',
  '"#"',
  "'#'",
  '@x',
  '`x',
  '%x',
  '!x',
  '&x',
  '*x',
  'x, y',
  '[a]',
  '{a}',
  'a]',
  'a:b',
  '-',
  '?x',
  ':x',
  '"a"b',
  "'a'b'",
  '0',
  '00',
  '1_000',
  '12:30',
]
const KEYS = [
  'image',
  'tag',
  'name',
  'fluxcd.io/automated',
  '"quoted key"',
  "'single key'",
  'a-b_c',
  '$x',
  'k1',
]
const TRICKY_KEYS = [
  'a:b',
  'x y',
  '"k:"',
  '-k',
  '1',
  'true',
  "'it''s'",
  '"a#b"',
  'a#b',
  '<<',
  // YAML allows 1024 characters up to the `:` of an implicit key, quotes included.
  'k'.repeat(1024),
  'k'.repeat(1025),
  `"${'q'.repeat(1022)}"`,
  `"${'q'.repeat(1023)}"`,
]

function generate(seed: number): string {
  const rand = random(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!
  const scalar = () => pick(rand() < 0.04 ? TRICKY : SCALARS)
  const anyKey = () => pick(rand() < 0.02 ? TRICKY_KEYS : KEYS)
  const step = 1 + Math.floor(rand() * 4)
  const lines: string[] = []
  const comment = () => (rand() < 0.15 ? ' # note: x' : '')
  const blank = () => {
    if (rand() < 0.1) lines.push(rand() < 0.5 ? '' : `${' '.repeat(Math.floor(rand() * 6))}# c`)
  }
  const mapAt = (indent: number, depth: number, firstPrefix?: string): void => {
    const count = 1 + Math.floor(rand() * 4)
    const used = new Set<string>()
    for (let i = 0; i < count; i++) {
      let key = anyKey()
      while (used.has(key)) key = `${key}x`
      used.add(key)
      const lead = i === 0 && firstPrefix !== undefined ? firstPrefix : ' '.repeat(indent)
      blank()
      if (depth < 3 && rand() < 0.35) {
        lines.push(`${lead}${key}:${comment()}`)
        if (rand() < 0.5) mapAt(indent + step, depth + 1)
        else seqAt(rand() < 0.5 ? indent : indent + step, depth + 1)
      } else {
        lines.push(`${lead}${key}: ${scalar()}${comment()}`)
      }
    }
  }
  const seqAt = (indent: number, depth: number): void => {
    const count = 1 + Math.floor(rand() * 3)
    for (let i = 0; i < count; i++) {
      const dash = `${' '.repeat(indent)}-${' '.repeat(1 + Math.floor(rand() * 2))}`
      if (depth < 3 && rand() < 0.5) mapAt(dash.length, depth + 1, dash)
      else lines.push(`${dash}${scalar()}${comment()}`)
    }
  }
  const docs = 1 + Math.floor(rand() * 3)
  for (let d = 0; d < docs; d++) {
    if (d > 0 || rand() < 0.5) lines.push(rand() < 0.8 ? '---' : '--- # doc')
    if (rand() < 0.9) mapAt(rand() < 0.9 ? 0 : 2, 0)
  }
  let text = lines.join(rand() < 0.3 ? '\r\n' : '\n') + (rand() < 0.8 ? '\n' : '')
  if (rand() < 0.2) text = `\uFEFF${text}`
  return text
}

const NOISE = [
  ' ',
  ':',
  '#',
  '-',
  "'",
  '"',
  '\n',
  '{',
  '}',
  '[',
  ']',
  '&',
  '*',
  '!',
  '|',
  '>',
  '\t',
  '%',
  '?',
  ',',
  '\\',
  '...',
  '---\n',
  'a',
  // Whitespace to JavaScript's trim() but not to YAML.
  '\u00a0',
  '\uFEFF',
  '\u000b',
  '\u000c',
  '\u2003',
  '\u2028',
  '\u0085',
]

function mutate(text: string, seed: number): string {
  const rand = random(seed)
  let out = text
  for (let i = 0, n = 1 + Math.floor(rand() * 3); i < n; i++) {
    const at = Math.floor(rand() * (out.length + 1))
    const insert = rand() < 0.7 ? NOISE[Math.floor(rand() * NOISE.length)]! : ''
    out = out.slice(0, at) + insert + out.slice(at + (rand() < 0.4 ? 1 : 0))
  }
  return out
}

/** Fails the test when the fast reader accepted the text but reads it differently from yaml. */
function expectAgreement(text: string): boolean {
  const fast = fastParse(text)
  if (!fast) return false
  const docs = parseAllDocuments(text) as Document.Parsed[]
  expect(
    docs.flatMap((doc) => [...doc.errors, ...doc.warnings].map((error) => error.message)),
    JSON.stringify(text),
  ).toEqual([])
  expect(fast.length).toBe(docs.length)
  fast.forEach((doc, index) => {
    const reference = docs[index]!
    expect(fastToJS(doc.contents)).toStrictEqual(reference.toJS())
    compareNodes(doc.contents, reference.contents, text)
  })
  return true
}

function compareNodes(fast: YamlNode | null, node: Node | null | undefined, text: string): void {
  if (fast === null) {
    expect(isScalar(node) ? node.value : (node ?? null)).toBe(null)
  } else if (fast.kind === 'map') {
    if (!isMap(node)) throw new Error(`expected a map in ${JSON.stringify(text)}`)
    expect(fast.keys).toStrictEqual(
      node.items.map((pair) => (isScalar(pair.key) ? pair.key.value : undefined)),
    )
    fast.values.forEach((value, i) => {
      compareNodes(value, node.items[i]?.value as Node, text)
    })
  } else if (fast.kind === 'seq') {
    if (!isSeq(node)) throw new Error(`expected a sequence in ${JSON.stringify(text)}`)
    fast.items.forEach((item, i) => {
      compareNodes(item, node.items[i] as Node, text)
    })
  } else if (fast.kind === 'scalar') {
    if (!isScalar(node)) throw new Error(`expected a scalar in ${JSON.stringify(text)}`)
    expect(fast.value).toStrictEqual(node.value)
    if (fast.value === null) return
    expect([fast.style, fast.range]).toStrictEqual([node.type, [node.range?.[0], node.range?.[1]]])
    if (fast.style === 'PLAIN') expect(fast.source).toBe(node.source)
  }
}

describe('fastParse', () => {
  it('reads generated manifests exactly as yaml does', () => {
    let accepted = 0
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        if (expectAgreement(generate(seed))) accepted++
      }),
      { numRuns: 2000 },
    )
    // Most generated documents are in the subset; the test is worthless if all bailed.
    expect(accepted).toBeGreaterThan(800)
  })

  it('agrees or gives up on mutated manifests', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), (seed, noise) => {
        expectAgreement(mutate(generate(seed), noise))
      }),
      { numRuns: 3000 },
    )
  })

  it.each([
    ['anchor', 'a: &x 1\nb: *x\n'],
    ['tag', 'a: !!str 1\n'],
    ['block scalar', 'a: |\n  x\n'],
    ['flow map', 'a: {b: 1}\n'],
    ['multi-line plain', 'a: b\n  c\n'],
    ['escape', 'a: "x\\ty"\n'],
    ['tab', 'a:\tb\n'],
    ['directive', '%YAML 1.2\n---\na: 1\n'],
    ['document end', 'a: 1\n...\n'],
    ['duplicate key', 'a: 1\na: 2\n'],
    ['scalar document', 'just text\n'],
    ['multi-line quoted', 'a: "x\n  y"\n'],
    ['a key over 1024 characters', `${'k'.repeat(1025)}: v\n`],
    ['a quoted key over 1024 characters', `"${'k'.repeat(1023)}": v\n`],
    ['NBSP after ---', '---\u00a0\na: 1\n'],
    ['NBSP after --- and a space', 'a: 1\n--- \u00a0\nb: 1\n'],
    ['BOM after ---', 'a: 1\n--- \uFEFF\nb: 1\n'],
    ['vertical tab after ---', '--- \u000b\na: 1\n'],
    ['em space after ---', '--- \u2003 # c\na: 1\n'],
  ])('gives up on %s', (_name, text) => {
    expect(fastParse(text)).toBeUndefined()
  })

  it('gives up wherever yaml reports an error', () => {
    // Each of these is an error to yaml; the fast reader once accepted them (JS trim(), no key limit).
    for (const text of [`${'k'.repeat(1025)}: v\n`, '--- \u00a0\na: 1\n', '--- \uFEFF\na: 1\n']) {
      expect(parseAllDocuments(text).some((doc) => doc.errors.length > 0)).toBe(true)
      expect(fastParse(text)).toBeUndefined()
    }
    expect(expectAgreement(`${'k'.repeat(1024)}: v\n--- # ok\nb: 1\n`)).toBe(true)
  })

  it('keeps offsets with a BOM and CRLF', () => {
    const text = '\uFEFFa: 1\r\nb:\r\n- "x" # c\r\n'
    expect(expectAgreement(text)).toBe(true)
  })
})
