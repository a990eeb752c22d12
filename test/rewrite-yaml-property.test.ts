// Property (issue 8 §4): over documents with explicit tags, anchors and aliases, merge keys, odd
// whitespace (NBSP, BOM, CRLF, trailing spaces, tabs before comments, `---` lines) and keys near
// YAML's 1024-character limit, no rewrite leaves a file that `yaml` reads differently, under YAML 1.2
// or 1.1 (Kubernetes' and Helm's reading), except in the intended value. A file the full parser
// rejects is reported and never written; an edit the value cannot take is refused with the file kept.

import { isDeepStrictEqual } from 'node:util'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Document, parseAllDocuments } from 'yaml'
import { discover } from '../src/manifests/index.js'
import { rewriteFile } from '../src/rewrite/index.js'

const EXPLICIT = ['', '!!str ', '!!int ', '!!float ', '!custom ', '!<tag:yaml.org,2002:str> ']
const OLD_TAGS = ['150', '1.10', '1.0.0', 'v1.2.3', 'dev-abc', '7', 'yes']
const NEW_TAGS = ['151', '1.11', '1000000', 'v1.2.4', 'yes', 'on', '2024-01-02', '0777', '1e3', 'dev-def']
/** Values that YAML 1.1 and 1.2 read differently, so a stray edit to them would show. */
const NOISE_VALUES = ['yes', 'on', '0777', '1.10', '12:30', '!!str 150', '!!int 3', '!!float 1.5', '~']
const SPACES = ['', ' ', '\u00a0', '\t']

interface Doc {
  explicit: string
  quote: '' | "'" | '"'
  oldTag: string
  newTag: string
  split: boolean
  anchorTag: boolean
  sharedRepo: 'none' | 'anchor' | 'merge'
  noise: string[]
  trailing: string
  commentGap: string
  keyLength: number
  quotedLongKey: boolean
  marker: string
  crlf: boolean
  bom: boolean
  otherDoc: boolean
}

const doc: fc.Arbitrary<Doc> = fc.record({
  explicit: fc.constantFrom(...EXPLICIT),
  quote: fc.constantFrom<Doc['quote']>('', "'", '"'),
  oldTag: fc.constantFrom(...OLD_TAGS),
  // Integers often: they are the case where a plain number may stay a plain number.
  newTag: fc.oneof(
    { arbitrary: fc.constantFrom(...NEW_TAGS), weight: 3 },
    { arbitrary: fc.constant('151'), weight: 2 },
  ),
  split: fc.boolean(),
  anchorTag: fc.boolean(),
  sharedRepo: fc.constantFrom<Doc['sharedRepo']>('none', 'anchor', 'merge'),
  noise: fc.array(fc.constantFrom(...NOISE_VALUES), { maxLength: 3 }),
  trailing: fc.constantFrom(...SPACES),
  commentGap: fc.constantFrom(' ', '\t', '  '),
  // Over the limit (1025) now and then: such a file must be reported, never read leniently.
  keyLength: fc.oneof(
    { arbitrary: fc.constantFrom(8, 1000, 1022, 1024), weight: 9 },
    { arbitrary: fc.constant(1025), weight: 1 },
  ),
  quotedLongKey: fc.boolean(),
  marker: fc.oneof(
    { arbitrary: fc.constantFrom('---', '--- # doc', '--- '), weight: 4 },
    { arbitrary: fc.constantFrom('---\u00a0', '--- \uFEFF'), weight: 1 },
  ),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  otherDoc: fc.boolean(),
})

function build(d: Doc): { text: string; newRef: string } {
  const repo = 'registry.example.com/team/app'
  const tagScalar = `${d.explicit}${d.anchorTag ? '&t ' : ''}${d.quote}${d.oldTag}${d.quote}`
  const key = d.quotedLongKey ? `"${'k'.repeat(Math.max(0, d.keyLength - 2))}"` : 'k'.repeat(d.keyLength)
  const lines = [
    'apiVersion: helm.fluxcd.io/v1',
    'kind: HelmRelease',
    'metadata:',
    '  name: app',
    '  annotations:',
    `    fluxcd.io/automated: "true"${d.commentGap}# automated`,
    'spec:',
    '  values:',
    `    ${key}: long${d.trailing}`,
    ...d.noise.map((value, index) => `    noise${index}: ${value}${d.trailing}`),
    '    base: &base',
    `      repository: ${repo}`,
    '    copy: *base',
  ]
  if (d.split) {
    const repository =
      d.sharedRepo === 'merge'
        ? ['        <<: *base']
        : [`        repository: ${d.sharedRepo === 'anchor' ? '*repo' : repo}`]
    if (d.sharedRepo === 'anchor') lines.push(`    repoHolder: &repo ${repo}`)
    lines.push('    app:', '      image:', ...repository, `        tag: ${tagScalar}${d.commentGap}# pinned`)
  } else {
    lines.push('    app:', `      image: ${d.explicit}${d.quote}${repo}:${d.oldTag}${d.quote}${d.trailing}`)
  }
  if (d.otherDoc) lines.push(d.marker, 'kind: ConfigMap', 'data:', `  k: v${d.trailing}`)
  const eol = d.crlf ? '\r\n' : '\n'
  return { text: (d.bom ? '\uFEFF' : '') + lines.join(eol) + eol, newRef: `${repo}:${d.newTag}` }
}

type Version = '1.1' | '1.2'

function read(
  text: string,
  version: Version,
): { docs: Document.Parsed[]; failed: boolean; warnings: number } {
  const docs = parseAllDocuments(text, { version }) as Document.Parsed[]
  return {
    docs,
    failed: docs.some((one) => one.errors.length > 0),
    warnings: docs.reduce((sum, one) => sum + one.warnings.length, 0),
  }
}

function fail(what: string, text: string): never {
  // JSON.stringify leaves NBSP and BOM as they are; show them.
  const shown = JSON.stringify(text).replace(
    /[\u00a0\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
  throw new Error(`${what} in ${shown}`)
}

/** How each case ended, so the test proves it reached every outcome rather than passing on one. */
const outcomes = { unparsable: 0, notTarget: 0, refused: 0, written: 0, number: 0 }

function check(d: Doc): void {
  const { text, newRef } = build(d)
  const discovery = discover([{ path: 'f.yaml', text }])
  const reference = read(text, '1.2')
  if (reference.failed) {
    // What yaml rejects is reported, never read by a more lenient reader.
    if (!discovery.problems.some((problem) => problem.code === 'YAML_PARSE')) fail('not reported', text)
    outcomes.unparsable++
    return
  }
  const target = discovery.targets.find((t) => t.container === 'app')
  if (!target) {
    // Skipped with a reason, or a problem (a NBSP written after the image makes it no reference).
    const told = [...discovery.skipped, ...discovery.problems].some((entry) => entry.container === 'app')
    if (!told) fail('app neither found, skipped nor reported', text)
    outcomes.notTarget++
    return
  }
  const { newTag } = d
  const result = rewriteFile('f.yaml', text, [{ target, newTag, policy: 'glob:*' }])
  if (result.problems.length > 0) {
    if (result.text !== text || result.changes.length > 0) fail('refused but written', text)
    outcomes.refused++
    return
  }
  // The tag is already in place: nothing is written (what the file says under YAML 1.1 is its own).
  if (result.changes.length === 0) {
    if (result.text !== text) fail('no change but written', text)
    return
  }
  const field = target.fields.tag ? 'tag' : 'image'
  const path = target.fields[field]!.path
  const intended = field === 'tag' ? newTag : newRef
  for (const version of ['1.2', '1.1'] as const) {
    const before = read(text, version)
    const after = read(result.text, version)
    if (after.failed || after.warnings > before.warnings)
      fail(`result unreadable under ${version}`, result.text)
    const value = after.docs[target.doc]!.getIn(path)
    if (String(value) !== intended) fail(`value ${String(value)} under ${version}`, result.text)
    if (typeof value !== 'string' && !/^\d+$/.test(intended)) fail(`${intended} not a string`, result.text)
    const expected = before.docs.map((one) => one.toJS())
    let holder = expected[target.doc] as Record<string | number, unknown>
    for (const key of path.slice(0, -1)) holder = holder[key] as Record<string | number, unknown>
    holder[path[path.length - 1]!] = value
    const actual = after.docs.map((one) => one.toJS())
    if (!isDeepStrictEqual(actual, expected)) fail(`other values moved under ${version}`, result.text)
    if (version === '1.2' && typeof value === 'number') outcomes.number++
  }
  outcomes.written++
}

describe('rewrite property over tags, anchors, whitespace and long keys', () => {
  it('never writes a file yaml reads differently except in the new value', () => {
    fc.assert(fc.property(doc, check), { numRuns: 1_500 })
    expect(outcomes.written).toBeGreaterThan(300)
    expect(outcomes.number).toBeGreaterThan(5)
    expect(outcomes.refused).toBeGreaterThan(50)
    expect(outcomes.unparsable).toBeGreaterThan(50)
    expect(outcomes.notTarget).toBeGreaterThan(20)
  }, 120_000)
})
