import { describe, expect, it } from 'vitest'
import { discover } from './discover.js'
import { closestMatch, typoDistance } from './suggest.js'

const deployment = (annotations: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  annotations:
${annotations}
spec:
  template:
    spec:
      containers:
      - name: api
        image: example/api:1.0.0
      - name: worker
        image: example/worker:1.0.0
`

function warnings(annotations: string) {
  const result = discover([{ path: 'w.yaml', text: deployment(annotations) }])
  expect(result.problems.every((problem) => problem.severity === 'warning')).toBe(true)
  return { ...result, messages: result.problems.map((problem) => problem.message) }
}

describe('annotation warnings', () => {
  it('says nothing about annotations that are right', () => {
    const result = warnings(`    fluxcd.io/automated: "true"
    fluxcd.io/tag.api: semver:~1.0
    filter.fluxcd.io/worker: glob:1.*
    flux.weave.works/locked_msg: "held for the release"
    example.com/owner: team-a`)
    expect(result.problems).toEqual([])
    expect(result.targets).toHaveLength(2)
  })

  it('warns about an unknown key under a Flux prefix, with the key it resembles', () => {
    // fluxcd.io/automate (typo): the workload is not automated, and says why.
    const result = warnings('    fluxcd.io/automate: "true"\n    fluxcd.io/tags.api: semver:~1.2')
    expect(result.targets).toEqual([])
    expect(result.problems).toMatchObject([
      { code: 'ANNOTATION', severity: 'warning', file: 'w.yaml', workload: 'shop:deployment/web' },
      { code: 'ANNOTATION', severity: 'warning' },
    ])
    expect(result.messages).toEqual([
      'w.yaml: shop:deployment/web: annotation fluxcd.io/automate is not one imagebot knows, so it has no effect; did you mean fluxcd.io/automated?',
      'w.yaml: shop:deployment/web: annotation fluxcd.io/tags.api is not one imagebot knows, so it has no effect; did you mean fluxcd.io/tag.api?',
    ])
  })

  it('lists the known keys when nothing is close', () => {
    const result = warnings('    fluxcd.io/automated: "true"\n    fluxcd.io/frobnicate: "x"')
    expect(result.messages).toEqual([
      'w.yaml: shop:deployment/web: annotation fluxcd.io/frobnicate is not one imagebot knows, so it has no effect; known keys: automated, locked, locked_msg, locked_user, ignore, sync-checksum, antecedent, tag.<container>',
    ])
  })

  it('warns about a tag filter that names no container, suggesting the closest one', () => {
    const result = warnings(
      '    fluxcd.io/automated: "true"\n    fluxcd.io/tag.wroker: semver:~1.0\n    filter.fluxcd.io/db: glob:*',
    )
    expect(result.messages).toEqual([
      'w.yaml: shop:deployment/web: annotation fluxcd.io/tag.wroker names no container of the workload (containers: api, worker); did you mean fluxcd.io/tag.worker?',
      'w.yaml: shop:deployment/web: annotation filter.fluxcd.io/db names no container of the workload (containers: api, worker); the filter applies to nothing',
    ])
    // The misspelt filter does not apply; worker keeps the default, and the warning says so.
    expect(result.targets.map((t) => t.policy.pattern)).toEqual(['*', '*'])
  })

  it('warns about a value that is not a string, and still reads it as written', () => {
    const result = warnings('    fluxcd.io/automated: true\n    fluxcd.io/tag.api: 1.0')
    expect(result.targets).toHaveLength(2)
    expect(result.targets[0]?.policy).toEqual({ kind: 'glob', pattern: '1.0' })
    expect(result.messages).toEqual([
      'w.yaml: shop:deployment/web: annotation fluxcd.io/automated: true is not a string, and Kubernetes rejects non-string annotation values; quote it (fluxcd.io/automated: "true"). imagebot reads it as the text written',
      'w.yaml: shop:deployment/web: annotation fluxcd.io/tag.api: 1.0 is not a string, and Kubernetes rejects non-string annotation values; quote it (fluxcd.io/tag.api: "1.0"). imagebot reads it as the text written',
    ])
  })

  it('checks HelmRelease filters against values images, list items by their annotation name', () => {
    const annotations = [
      'fluxcd.io/automated: "true"',
      'fluxcd.io/tag.chart-image: glob:dev-*',
      'fluxcd.io/tag.sidecars.proxy: glob:*',
      'fluxcd.io/tag.sidecars.proxi: glob:*',
    ]
    const text = `apiVersion: helm.fluxcd.io/v1
kind: HelmRelease
metadata: {name: app, annotations: {${annotations.join(', ')}}}
spec:
  values:
    image: example/app:dev-1
    sidecars:
    - name: proxy
      image: envoyproxy/envoy:v1.29.0
`
    const result = discover([{ path: 'r.yaml', text }])
    expect(result.problems.map((problem) => problem.message)).toEqual([
      'r.yaml: default:helmrelease/app: annotation fluxcd.io/tag.sidecars.proxi names no container of the workload (containers: chart-image, sidecars.proxy); did you mean fluxcd.io/tag.sidecars.proxy?',
    ])
  })
})

describe('closestMatch', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(typoDistance('wroker', 'worker')).toBe(1)
    expect(typoDistance('automate', 'automated')).toBe(1)
    expect(typoDistance('abc', 'abc')).toBe(0)
    expect(typoDistance('', 'abc')).toBe(3)
  })

  it('suggests only what is near enough to be a typo', () => {
    expect(closestMatch('tags.api', ['tag.api', 'tag.worker'])).toBe('tag.api')
    expect(closestMatch('db', ['api', 'worker'])).toBeUndefined()
  })
})
