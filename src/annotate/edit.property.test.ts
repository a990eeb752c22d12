// A property over block-style manifests: indentation of 2 or 4, any quoting, comments after values, CRLF, a
// second document, existing annotations under either Flux prefix. Every policy edit must succeed, read back as
// exactly the intended annotations, leave every line outside `metadata` as it was, and be idempotent.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseDocument } from 'yaml'
import { annotateWorkload, type PolicyEdit } from './edit.js'
import { spellings } from './keys.js'

const POLICIES = ['automated', 'locked', 'locked_msg', 'tag.web', 'tag.worker'] as const
const VALUES = [
  'true',
  'glob:dev-*',
  'semver:~1.2',
  "it's held: 1.10",
  'regex:^v(?P<n>\\d+)$',
  '#hash',
  'yes',
]

const quote = (style: number, value: string) =>
  style === 0 ? JSON.stringify(value) : style === 1 ? `'${value.replace(/'/g, "''")}'` : value

const layout = fc.record({
  indent: fc.constantFrom(2, 4),
  style: fc.constantFrom(0, 1, 2),
  crlf: fc.boolean(),
  comment: fc.boolean(),
  otherDoc: fc.boolean(),
  existing: fc.uniqueArray(fc.tuple(fc.constantFrom(...POLICIES), fc.constantFrom(0, 1)), {
    selector: ([policy]) => policy,
    maxLength: 4,
  }),
  extra: fc.boolean(),
})

type Layout = typeof layout extends fc.Arbitrary<infer T> ? T : never

function manifest(l: Layout): string {
  const pad = ' '.repeat(l.indent)
  const annotations = l.existing.map(
    ([policy, prefix]) => `${pad}${pad}${spellings(policy)[prefix]}: ${quote(l.style, 'true')}`,
  )
  if (l.extra) annotations.push(`${pad}${pad}team: ${quote(l.style, 'web')}${l.comment ? ' # owner' : ''}`)
  const lines = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    `metadata:${l.comment ? ' # the workload' : ''}`,
    `${pad}name: api`,
    ...(annotations.length > 0 ? [`${pad}annotations:`, ...annotations] : []),
    'spec:',
    `${pad}template:`,
    `${pad}${pad}spec:`,
    `${pad}${pad}${pad}containers:`,
    `${pad}${pad}${pad}- name: web`,
    `${pad}${pad}${pad}  image: ghcr.io/acme/web:1.0${l.comment ? ' # pinned' : ''}`,
    ...(l.otherDoc ? ['---', 'kind: ConfigMap', 'metadata: {name: x, annotations: {a: b}}'] : []),
  ]
  return lines.join(l.crlf ? '\r\n' : '\n') + (l.crlf ? '\r\n' : '\n')
}

const edits = fc.record({
  set: fc.dictionary(fc.constantFrom(...POLICIES), fc.constantFrom(...VALUES), { maxKeys: 3 }),
  remove: fc.uniqueArray(fc.constantFrom(...POLICIES), { maxLength: 3 }),
})

function annotationsOf(text: string): Record<string, string> {
  return (
    (parseDocument(text).toJS() as { metadata: { annotations?: Record<string, string> } }).metadata
      .annotations ?? {}
  )
}

describe('annotateWorkload on generated block layouts', () => {
  it('writes exactly the intended annotations, touches nothing outside metadata, and is idempotent', () => {
    fc.assert(
      fc.property(layout, edits, (l, e) => {
        const text = manifest(l)
        const edit: PolicyEdit = { set: new Map(Object.entries(e.set)), remove: new Set(e.remove) }
        const out = annotateWorkload('api.yaml', text, 'default:deployment/api', edit)
        const expected = { ...annotationsOf(text) }
        for (const policy of edit.remove) for (const key of spellings(policy)) delete expected[key]
        for (const [policy, value] of edit.set) {
          if (edit.remove.has(policy)) continue
          const present = spellings(policy).filter((key) => key in expected)
          if (present.length === 0)
            expected[out.changes.find((c) => spellings(policy).includes(c.key))!.key] = value
          for (const key of present) expected[key] = value
        }
        expect(annotationsOf(out.text)).toEqual(expected)
        const tail = (t: string) => t.slice(t.indexOf('spec:'))
        expect(tail(out.text)).toBe(tail(text))
        expect(annotateWorkload('api.yaml', out.text, 'default:deployment/api', edit).changes).toEqual([])
      }),
      { numRuns: 150 },
    )
  })
})
