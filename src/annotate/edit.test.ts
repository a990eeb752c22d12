// Annotation edits, on the cases of Flux v1's TestUpdatePolicies (fluxcd/flux
// pkg/cluster/kubernetes/policies_test.go): the same manifest template with its "comment really close to the war
// zone", the same annotations in and out. Where we differ on purpose, the case says why.
import { describe, expect, it } from 'vitest'
import { type AnnotationChange, annotateWorkload, type PolicyEdit } from './edit.js'
import { AnnotateError } from './workloads.js'

const ID = 'default:deployment/nginx'

/** Flux v1's annotationsTemplate: the annotations map is absent when there are no pairs. */
function manifest(pairs: [string, string][]): string {
  const annotations = pairs.length
    ? `\n  annotations:${pairs.map(([key, value]) => `\n    ${key}: ${value}`).join('')}`
    : ''
  return `---
apiVersion: extensions/v1beta1
kind: Deployment
metadata: # comment really close to the war zone
  name: nginx${annotations}
spec:
  replicas: 1
  template:
    metadata: # comment2
      labels:
        name: nginx
    spec:
      containers:
      - image: nginx  # These keys are purposefully un-sorted.
        name: nginx   # And these comments are testing comments.
        ports:
        - containerPort: 80
`
}

function edit(set: Record<string, string>, remove: string[] = []): PolicyEdit {
  return { set: new Map(Object.entries(set)), remove: new Set(remove) }
}

function run(pairs: [string, string][], change: PolicyEdit) {
  return annotateWorkload('nginx.yaml', manifest(pairs), ID, change)
}

describe('annotateWorkload on Flux v1 TestUpdatePolicies cases', () => {
  it('adds an annotation beside others, in their quoting', () => {
    const out = run([['prometheus.io/scrape', "'false'"]], edit({ automated: 'true' }))
    expect(out.text).toBe(
      manifest([
        ['prometheus.io/scrape', "'false'"],
        ['fluxcd.io/automated', "'true'"],
      ]),
    )
    expect(out.changes).toEqual<AnnotationChange[]>([{ key: 'fluxcd.io/automated', after: 'true' }])
  })

  it('leaves an annotation that is already set, keeping its old prefix', () => {
    const pairs: [string, string][] = [
      ['flux.weave.works/automated', "'true'"],
      ['prometheus.io/scrape', "'false'"],
    ]
    const out = run(pairs, edit({ automated: 'true' }))
    expect(out.text).toBe(manifest(pairs))
    expect(out.changes).toEqual([])
  })

  it('creates the annotations map under metadata for the first annotation (fluxcd.io/ prefix)', () => {
    const out = run([], edit({ automated: 'true' }))
    // Flux v1 wrote 'true' in single quotes; with no value to copy we write double quotes, as the README does.
    expect(out.text).toBe(manifest([['fluxcd.io/automated', '"true"']]))
  })

  it('adds and removes at once; a new key takes the prefix the workload already uses', () => {
    // Deliberate difference: Flux v1 wrote the new key as fluxcd.io/locked. We keep the workload's own prefix
    // so its annotations stay one family (the brief: `flux.weave.works/` stays `flux.weave.works/`).
    const out = run(
      [
        ['flux.weave.works/automated', "'true'"],
        ['prometheus.io/scrape', "'false'"],
      ],
      edit({ locked: 'true' }, ['automated']),
    )
    expect(out.text).toBe(
      manifest([
        ['prometheus.io/scrape', "'false'"],
        ['flux.weave.works/locked', "'true'"],
      ]),
    )
  })

  it('lets a removal win over a set of the same key', () => {
    const out = run([], edit({ locked: 'true' }, ['locked']))
    expect(out.text).toBe(manifest([]))
    expect(out.changes).toEqual([])
  })

  it('removes an annotation and keeps the others', () => {
    const out = run(
      [
        ['fluxcd.io/automated', 'true'],
        ['prometheus.io/scrape', 'false'],
      ],
      edit({}, ['automated']),
    )
    expect(out.text).toBe(manifest([['prometheus.io/scrape', 'false']]))
    expect(out.changes).toEqual([{ key: 'fluxcd.io/automated', before: 'true' }])
  })

  it('removes the annotations map with its last annotation', () => {
    expect(run([['fluxcd.io/automated', 'true']], edit({}, ['automated'])).text).toBe(manifest([]))
  })

  it('changes nothing when removing what is absent', () => {
    expect(run([], edit({}, ['automated'])).changes).toEqual([])
    const others: [string, string][] = [['prometheus.io/scrape', 'false']]
    expect(run(others, edit({}, ['automated'])).text).toBe(manifest(others))
  })

  it('removes multi-line values whole, blank lines included', () => {
    for (const value of ['|-\n      first\n      second', '|-\n      first\n\n      third']) {
      expect(run([['fluxcd.io/locked_msg', value]], edit({}, ['locked_msg'])).text).toBe(manifest([]))
    }
  })

  it('adds tag filters; a plain-safe filter stays plain in a plain map', () => {
    const out = run([['prometheus.io/scrape', 'yes-please']], edit({ 'tag.nginx': 'semver:~1.2' }))
    expect(out.text).toBe(
      manifest([
        ['prometheus.io/scrape', 'yes-please'],
        ['fluxcd.io/tag.nginx', 'semver:~1.2'],
      ]),
    )
    const glob = run([['prometheus.io/scrape', 'yes-please']], edit({ 'tag.nginx': 'glob:*' }))
    expect(glob.text).toContain('fluxcd.io/tag.nginx: glob:*\n')
  })

  it('updates a filter under its alternative prefix filter.fluxcd.io/ in place', () => {
    const out = run([['filter.fluxcd.io/nginx', 'glob:*']], edit({ 'tag.nginx': 'glob:1.*' }))
    expect(out.text).toBe(manifest([['filter.fluxcd.io/nginx', 'glob:1.*']]))
    expect(out.changes).toEqual([{ key: 'filter.fluxcd.io/nginx', before: 'glob:*', after: 'glob:1.*' }])
  })
})

describe('annotateWorkload layouts', () => {
  it('removes every spelling of a policy, so automation cannot linger under the other prefix', () => {
    const out = run(
      [
        ['fluxcd.io/automated', '"true"'],
        ['flux.weave.works/automated', '"true"'],
        ['team', 'web'],
      ],
      edit({}, ['automated']),
    )
    expect(out.text).toBe(manifest([['team', 'web']]))
  })

  it('keeps comments, CRLF line ends and other documents byte for byte', () => {
    const text =
      'kind: ConfigMap\r\nmetadata: {name: other}\r\n---\r\nkind: Deployment\r\nmetadata:\r\n' +
      '    name: nginx   # four-space indent\r\n    annotations:\r\n        team: "web" # owner\r\n' +
      'spec: {}\r\n'
    const out = annotateWorkload('x.yaml', text, ID, edit({ automated: 'true', 'tag.nginx': 'glob:v*' }))
    expect(out.text).toBe(
      'kind: ConfigMap\r\nmetadata: {name: other}\r\n---\r\nkind: Deployment\r\nmetadata:\r\n' +
        '    name: nginx   # four-space indent\r\n    annotations:\r\n        team: "web" # owner\r\n' +
        '        fluxcd.io/automated: "true"\r\n        fluxcd.io/tag.nginx: "glob:v*"\r\n' +
        'spec: {}\r\n',
    )
  })

  it('creates annotations at the file’s indentation when metadata has nested maps', () => {
    const text = 'kind: Deployment\nmetadata:\n    name: nginx\n    labels:\n        app: nginx\nspec: {}\n'
    const out = annotateWorkload(
      'x.yaml',
      text,
      ID,
      edit({ locked: 'true', locked_msg: "don't: 1.2 is bad" }),
    )
    expect(out.text).toBe(
      'kind: Deployment\nmetadata:\n    name: nginx\n    labels:\n        app: nginx\n' +
        '    annotations:\n        fluxcd.io/locked: "true"\n        fluxcd.io/locked_msg: "don\'t: 1.2 is bad"\n' +
        'spec: {}\n',
    )
  })

  it('fills an empty annotations key and a flow map', () => {
    const empty = 'kind: Deployment\nmetadata:\n  name: nginx\n  annotations:\nspec: {}\n'
    expect(annotateWorkload('x.yaml', empty, ID, edit({ automated: 'true' })).text).toBe(
      'kind: Deployment\nmetadata:\n  name: nginx\n  annotations:\n    fluxcd.io/automated: "true"\nspec: {}\n',
    )
    const flow = "kind: Deployment\nmetadata:\n  name: nginx\n  annotations: {team: 'web'}\n"
    expect(annotateWorkload('x.yaml', flow, ID, edit({ automated: 'true' })).text).toBe(
      "kind: Deployment\nmetadata:\n  name: nginx\n  annotations: {team: 'web', fluxcd.io/automated: 'true'}\n",
    )
  })

  it('replaces a value in place, keeping its quote character and a trailing comment', () => {
    const text =
      "kind: Deployment\nmetadata:\n  name: nginx\n  annotations:\n    fluxcd.io/tag.nginx: 'glob:1.*' # pinned\n"
    expect(annotateWorkload('x.yaml', text, ID, edit({ 'tag.nginx': 'semver:~2' })).text).toBe(
      "kind: Deployment\nmetadata:\n  name: nginx\n  annotations:\n    fluxcd.io/tag.nginx: 'semver:~2' # pinned\n",
    )
  })

  it('finds the workload by namespace and kind among several documents', () => {
    const text =
      'kind: Deployment\nmetadata:\n  name: nginx\n  namespace: prod\n---\n' +
      'kind: Deployment\nmetadata:\n  name: nginx\n'
    const out = annotateWorkload('x.yaml', text, 'prod:deployment/nginx', edit({ automated: 'true' }))
    expect(out.text).toBe(
      'kind: Deployment\nmetadata:\n  name: nginx\n  namespace: prod\n  annotations:\n' +
        '    fluxcd.io/automated: "true"\n---\nkind: Deployment\nmetadata:\n  name: nginx\n',
    )
  })

  it('refuses what it cannot edit safely, with the reason', () => {
    const flow = "kind: Deployment\nmetadata:\n  name: nginx\n  annotations: {fluxcd.io/automated: 'true'}\n"
    expect(() => annotateWorkload('x.yaml', flow, ID, edit({}, ['automated']))).toThrow(/flow map/)
    const list = 'kind: Deployment\nmetadata:\n  name: nginx\n  annotations: [a]\n'
    expect(() => annotateWorkload('x.yaml', list, ID, edit({ automated: 'true' }))).toThrow(
      /annotations is not a mapping/,
    )
    expect(() => annotateWorkload('x.yaml', 'kind: [', ID, edit({ automated: 'true' }))).toThrow(
      /does not parse/,
    )
    expect(() => annotateWorkload('x.yaml', manifest([]), 'default:deployment/nginz', edit({}))).toThrow(
      AnnotateError,
    )
  })
})

describe('annotateWorkload replacing a plain value', () => {
  it('keeps it plain when the new value reads back as itself, else double-quotes it', () => {
    const text =
      'kind: Deployment\nmetadata:\n  name: nginx\n  annotations:\n    a: "x"\n    b: "y"\n    fluxcd.io/tag.nginx: glob:dev-*\n'
    const plain = annotateWorkload('x.yaml', text, ID, edit({ 'tag.nginx': 'semver:~1' }))
    expect(plain.text).toContain('\n    fluxcd.io/tag.nginx: semver:~1\n')
    const quoted = annotateWorkload('x.yaml', text, ID, edit({ 'tag.nginx': 'regex:^v1 #x' }))
    expect(quoted.text).toContain('\n    fluxcd.io/tag.nginx: "regex:^v1 #x"\n')
  })
})

describe('annotateWorkload on kind: List items (Flux v1 read those)', () => {
  it('edits the item’s own metadata and nothing else', () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: nginx\n' +
      '  spec: {}\n- kind: Deployment\n  metadata:\n    name: other\n'
    const out = annotateWorkload('x.yaml', text, ID, edit({ automated: 'true' }))
    expect(out.text).toBe(
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: nginx\n' +
        '    annotations:\n      fluxcd.io/automated: "true"\n  spec: {}\n- kind: Deployment\n  metadata:\n    name: other\n',
    )
    const first =
      'kind: List\nitems:\n- metadata:\n    name: nginx\n    annotations:\n      a: "b"\n  kind: Deployment\n'
    expect(annotateWorkload('x.yaml', first, ID, edit({ locked: 'true' })).text).toBe(
      'kind: List\nitems:\n- metadata:\n    name: nginx\n    annotations:\n      a: "b"\n      fluxcd.io/locked: "true"\n  kind: Deployment\n',
    )
  })
})
