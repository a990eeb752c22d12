import { describe, expect, it } from 'vitest'
import { rewriteFile } from '../rewrite/index.js'
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

describe('lists of containers in HelmRelease values', () => {
  const values = `    sidecars:
    - name: proxy
      image: envoyproxy/envoy:v1.29.0
    - name: exporter
      image:
        repository: prom/statsd-exporter
        tag: v0.26.0
    - image: busybox:1.36
    extraContainers:
    - {name: shell, image: "alpine:3.19"}
    - name: no-image
      args: [x]
    template:
      spec:
        containers:
        - name: app
          image: example/app
          tag: 2.0.0`

  it('names each item by the path and its name', () => {
    const result = release(values)
    expect(summary(result)).toEqual({
      'sidecars[proxy]': ['envoyproxy/envoy:v1.29.0', 'image'],
      'sidecars[exporter]': ['prom/statsd-exporter:v0.26.0', 'repository,tag'],
      'extraContainers[shell]': ['alpine:3.19', 'image'],
      'template.spec.containers[app]': ['example/app:2.0.0', 'image,tag'],
    })
  })

  it('reports an image in an item without a name as skipped, with the reason', () => {
    const result = release(values)
    expect(result.skipped).toEqual([
      {
        file: 'r.yaml',
        workload: 'team:helmrelease/app',
        container: 'sidecars[2]',
        reason: 'list item 2 holds an image but no name; add `name:` to the item so a filter can name it',
      },
    ])
  })

  it('takes the filter from the annotation key with the item name after a dot', () => {
    const annotations = `    fluxcd.io/tag.sidecars.proxy: semver:~1.29\n    filter.fluxcd.io/template.spec.containers.app: glob:2.*\n`
    const result = release(values, annotations)
    const policies = Object.fromEntries(result.targets.map((t) => [t.container, t.policy]))
    expect(policies['sidecars[proxy]']).toEqual({ kind: 'semver', pattern: '~1.29' })
    expect(policies['template.spec.containers[app]']).toEqual({ kind: 'glob', pattern: '2.*' })
    expect(policies['sidecars[exporter]']).toEqual({ kind: 'glob', pattern: '*' })
    expect(result.problems).toEqual([])
  })

  it('rewrites an item in place', () => {
    const result = release(values)
    const target = result.targets.find((t) => t.container === 'sidecars[proxy]')!
    const rewritten = rewriteFile('r.yaml', result.text, [{ target, newTag: 'v1.30.1', policy: 'glob:*' }])
    expect(rewritten.problems).toEqual([])
    expect(rewritten.text).toBe(result.text.replace('envoy:v1.29.0', 'envoy:v1.30.1'))
  })
})

describe('image maps and merge keys', () => {
  it('edits a repository that holds the whole reference when there is no tag key', () => {
    // Flux v1 helmrelease_test.go TestParseNamedImageObjectFormatWithRegistryWitoutTag.
    const result = release(
      '    db:\n      image:\n        registry: registry.com\n        repository: bitnami/ghost:1.21.5-r0',
    )
    expect(summary(result)).toEqual({ db: ['registry.com/bitnami/ghost:1.21.5-r0', 'image,registry'] })
    const rewritten = rewriteFile('r.yaml', result.text, [
      { target: result.targets[0]!, newTag: '1.22.0', policy: 'glob:*' },
    ])
    expect(rewritten.text).toBe(result.text.replace('ghost:1.21.5-r0', 'ghost:1.22.0'))
    expect(rewritten.changes[0]?.newRef).toBe('registry.com/bitnami/ghost:1.22.0')
    const bare = release('    db:\n      image:\n        repository: bitnami/ghost:1.21.5-r0')
    expect(summary(bare)).toEqual({ db: ['bitnami/ghost:1.21.5-r0', 'image'] })
  })

  it('reads a repository brought in by a merge key, and edits the own tag beside it', () => {
    const result = release(`    base: &base
      repository: example/app
    api:
      image:
        <<: *base
        tag: 1.0.0
    shared:
      <<: *base
      tag: 2.0.0`)
    expect(summary(result)).toEqual({
      api: ['example/app:1.0.0', 'tag'],
      shared: ['example/app:2.0.0', 'tag'],
    })
    const api = result.targets.find((t) => t.container === 'api')!
    const rewritten = rewriteFile('r.yaml', result.text, [{ target: api, newTag: '1.0.1', policy: 'glob:*' }])
    expect(rewritten.problems).toEqual([])
    expect(rewritten.text).toBe(result.text.replace('tag: 1.0.0', 'tag: 1.0.1'))
  })

  it('still refuses a tag that comes from a merge key', () => {
    const result = release(`    base: &base
      repository: example/app
      tag: 1.0.0
    api:
      <<: *base`)
    expect(result.targets).toEqual([])
    expect(result.skipped.map((s) => [s.container, s.reason])).toEqual([
      ['base', expect.stringMatching(/^cannot edit safely: value is under anchor &base/)],
      ['api', expect.stringMatching(/^cannot edit safely: value comes from alias \*base/)],
    ])
  })
})
