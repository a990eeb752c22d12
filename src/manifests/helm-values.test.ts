import { describe, expect, it } from 'vitest'
import { discover } from './discover.js'

function release(values: string, annotations = '', apiVersion = 'helm.fluxcd.io/v1') {
  const text = `apiVersion: ${apiVersion}
kind: HelmRelease
metadata:
  name: app
  namespace: team
  annotations:
    fluxcd.io/automated: "true"
${annotations}spec:
  values:
${values}
`
  return { text, ...discover([{ path: 'r.yaml', text }]) }
}

/** container → [composed reference, which fields were found] */
function summary(result: ReturnType<typeof release>) {
  return Object.fromEntries(
    result.targets.map((t) => [t.container, [t.current.written, Object.keys(t.fields).sort().join(',')]]),
  )
}

describe('HelmRelease values', () => {
  it('reads every documented shape', () => {
    const result = release(`    image: example/root:1.0
    a:
      image: example/a:1.0
    b:
      image: example/b
      tag: "2.0"
    c:
      registry: ghcr.io
      image: example/c
      tag: 3.0
    d:
      registry: ghcr.io/
      image: example/d:4.0
    e:
      image:
        repository: example/e
        tag: v5
        registry: quay.io
    redis:
      repository: bitnami/redis
      tag: 6.0.1
    server:
      sidecar:
        image: example/sidecar:7
      deep:
        er:
          image: {repository: example/deeper, tag: "8"}`)
    expect(result.problems).toEqual([])
    expect(summary(result)).toEqual({
      'chart-image': ['example/root:1.0', 'image'],
      a: ['example/a:1.0', 'image'],
      b: ['example/b:2.0', 'image,tag'],
      c: ['ghcr.io/example/c:3.0', 'image,registry,tag'],
      d: ['ghcr.io/example/d:4.0', 'image,registry'],
      e: ['quay.io/example/e:v5', 'registry,repository,tag'],
      redis: ['bitnami/redis:6.0.1', 'repository,tag'],
      'server.sidecar': ['example/sidecar:7', 'image'],
      'server.deep.er': ['example/deeper:8', 'repository,tag'],
    })
  })

  it('reads image maps at the values root as chart-image', () => {
    const result = release('    image:\n      repository: example/app\n      tag: 1.2.3\n    replicaCount: 1')
    expect(summary(result)).toEqual({ 'chart-image': ['example/app:1.2.3', 'repository,tag'] })
  })

  it.each(['helm.toolkit.fluxcd.io/v2', 'helm.toolkit.fluxcd.io/v2beta2', 'flux.weave.works/v1beta1'])(
    'accepts %s',
    (apiVersion) => {
      expect(release('    image: example/app:1', '', apiVersion).targets).toHaveLength(1)
    },
  )

  it('ignores HelmReleases of other apiVersions', () => {
    expect(release('    image: example/app:1', '', 'example.com/v1').targets).toEqual([])
  })

  it('ignores values that are not image-like and skips guesses that are not references', () => {
    const result = release(`    enabled:
      image: true
    count:
      repository: 5
      tag: 1
    empty:
      image: ""
    git:
      repository: https://github.com/example/charts
      tag: v1
    chartDefault:
      image:
        repository: example/app
        tag: ""
    untagged:
      image: example/app`)
    expect(result.targets).toEqual([])
    expect(result.problems).toEqual([])
    expect(result.skipped.map((s) => [s.container, s.reason])).toEqual([
      ['git', 'not an image reference: "https://github.com/example/charts:v1"'],
      ['chartDefault', "empty tag (the chart's default is used)"],
      ['untagged', "no tag to update (the chart's default is used)"],
    ])
  })

  it('reports a bad reference under an image key as a problem', () => {
    const result = release('    api:\n      image: Example/API:1')
    expect(result.problems).toMatchObject([
      { code: 'IMAGE_REF_INVALID', workload: 'team:helmrelease/app', container: 'api' },
    ])
  })

  it('lets mapping annotations name containers and override the shapes', () => {
    const annotations = `    repository.fluxcd.io/api: api.img.name
    tag.fluxcd.io/api: api.img.version
    registry.fluxcd.io/api: api.img.host
    repository.fluxcd.io/whole: whole.ref
    repository.fluxcd.io/missing: nowhere.at.all
    tag.fluxcd.io/lonely: lonely.tag
`
    const result = release(
      `    api:
      img:
        host: ghcr.io
        name: example/api
        version: 1.0.0
    whole:
      ref: example/whole:2.0`,
      annotations,
    )
    expect(summary(result)).toEqual({
      api: ['ghcr.io/example/api:1.0.0', 'registry,repository,tag'],
      whole: ['example/whole:2.0', 'image'],
    })
    expect(result.problems.map((p) => p.message)).toEqual([
      'r.yaml: team:helmrelease/app: annotation repository.fluxcd.io/missing: no value at spec.values.nowhere.at.all; fix the path',
      'r.yaml: team:helmrelease/app: annotation repository.fluxcd.io/lonely is missing; add it next to the tag/registry mapping',
    ])
  })

  it('keeps the written form of plain number tags', () => {
    const result = release('    app:\n      image: example/app\n      tag: 1.10')
    expect(result.targets[0]?.current.written).toBe('example/app:1.10')
    expect(result.targets[0]?.fields.tag?.value).toBe('1.10')
  })
})
