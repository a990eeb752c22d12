// Flux v1's HelmRelease image detection table, as our own cases: the values shapes of
// fluxcd/flux@c2317f81 pkg/cluster/kubernetes/resource/helmrelease_test.go (each case is named after
// its test) with the containers and images Flux found. Where the test also set a new image, we set the
// new tag and check that only the tag's bytes changed. We differ in two places, on purpose:
// - Flux's set tests also changed the registry domain; imagebot moves tags only, never registries.
// - Flux's tests did not need `fluxcd.io/automated`; imagebot reads automated releases only, so every
//   input carries it.
// - Flux's mapped-format tests named images `repo/imageOne`; an upper-case repository is not a valid
//   reference (registries refuse it) and imagebot reports it, so these inputs are in lower case.

import { describe, expect, it } from 'vitest'
import { discover } from '../src/manifests/index.js'
import { rewriteFile } from '../src/rewrite/index.js'

function release(values: string, annotations = ''): string {
  return `---\napiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nmetadata:\n  name: ghost\n  namespace: ghost\n  annotations:\n    fluxcd.io/automated: "true"\n${annotations}spec:\n  chart:\n    git: git@github.com:fluxcd/flux-get-started\n    ref: master\n    path: charts/ghost\n  values:\n${values}`
}

const OTHER = '    other:\n      not: "containing image"\n'
const PERSISTENCE = '      persistence:\n        enabled: false\n'

interface DetectCase {
  name: string
  text: string
  found: Record<string, string>
  /** A container to move to `some-other-tag`, and the bytes that must change for it. */
  set?: { container: string; from: string; to: string }
}

const CASES: DetectCase[] = [
  {
    name: 'TestParseImageOnlyFormat',
    text: release(
      '    first: post\n    image: bitnami/ghost:1.21.5-r0\n    persistence:\n      enabled: false\n',
    ),
    found: { 'chart-image': 'bitnami/ghost:1.21.5-r0' },
  },
  {
    name: 'TestParseImageTagFormat',
    text: release('    first: post\n    image: bitnami/ghost\n    tag: 1.21.5-r0\n'),
    found: { 'chart-image': 'bitnami/ghost:1.21.5-r0' },
  },
  {
    name: 'TestParseRegistryImageTagFormat',
    text: release('    registry: registry.com\n    image: bitnami/ghost\n    tag: 1.21.5-r0\n'),
    found: { 'chart-image': 'registry.com/bitnami/ghost:1.21.5-r0' },
  },
  {
    name: 'TestParseRegistryImageFormat',
    text: release('    registry: registry.com\n    image: bitnami/ghost:1.21.5-r0\n'),
    found: { 'chart-image': 'registry.com/bitnami/ghost:1.21.5-r0' },
  },
  {
    name: 'TestParseNamedImageFormat',
    text: release(`    db:\n      first: post\n      image: bitnami/ghost:1.21.5-r0\n${PERSISTENCE}`),
    found: { db: 'bitnami/ghost:1.21.5-r0' },
    set: { container: 'db', from: 'ghost:1.21.5-r0', to: 'ghost:some-other-tag' },
  },
  {
    name: 'TestParseNamedImageTagFormat',
    text: release(
      `${OTHER}    db:\n      first: post\n      image: bitnami/ghost\n      tag: 1.21.5-r0\n${PERSISTENCE}`,
    ),
    found: { db: 'bitnami/ghost:1.21.5-r0' },
    set: { container: 'db', from: 'tag: 1.21.5-r0', to: 'tag: some-other-tag' },
  },
  {
    name: 'TestParseNamedRegistryImageTagFormat',
    text: release(
      `${OTHER}    db:\n      registry: registry.com\n      image: bitnami/ghost\n      tag: 1.21.5-r0\n`,
    ),
    found: { db: 'registry.com/bitnami/ghost:1.21.5-r0' },
    set: { container: 'db', from: 'tag: 1.21.5-r0', to: 'tag: some-other-tag' },
  },
  {
    name: 'TestParseNamedRegistryImageFormat',
    text: release(`${OTHER}    db:\n      registry: registry.com\n      image: bitnami/ghost:1.21.5-r0\n`),
    found: { db: 'registry.com/bitnami/ghost:1.21.5-r0' },
    set: { container: 'db', from: 'ghost:1.21.5-r0', to: 'ghost:some-other-tag' },
  },
  {
    name: 'TestParseImageObjectFormat',
    text: release('    first: post\n    image:\n      repository: bitnami/ghost\n      tag: 1.21.5-r0\n'),
    found: { 'chart-image': 'bitnami/ghost:1.21.5-r0' },
  },
  {
    name: 'TestParseNamedImageObjectFormat',
    text: release(
      `${OTHER}    db:\n      image:\n        repository: bitnami/ghost\n        tag: 1.21.5-r0\n${PERSISTENCE}`,
    ),
    found: { db: 'bitnami/ghost:1.21.5-r0' },
    set: { container: 'db', from: 'tag: 1.21.5-r0', to: 'tag: some-other-tag' },
  },
  {
    name: 'TestParseNamedImageObjectFormatWithRegistry',
    text: release(
      `${OTHER}    db:\n      image:\n        registry: registry.com\n        repository: bitnami/ghost\n        tag: 1.21.5-r0\n`,
    ),
    found: { db: 'registry.com/bitnami/ghost:1.21.5-r0' },
    set: { container: 'db', from: 'tag: 1.21.5-r0', to: 'tag: some-other-tag' },
  },
  {
    name: 'TestParseNamedImageObjectFormatWithRegistryAndMultiElementImage',
    text: release(
      `${OTHER}    db:\n      image:\n        registry: registry.com\n        repository: public/bitnami/ghost\n        tag: 1.21.5-r0\n`,
    ),
    found: { db: 'registry.com/public/bitnami/ghost:1.21.5-r0' },
    set: { container: 'db', from: 'tag: 1.21.5-r0', to: 'tag: some-other-tag' },
  },
  {
    // The repository holds the whole `repo:tag`; imagebot once found it and then refused to edit it.
    name: 'TestParseNamedImageObjectFormatWithRegistryWitoutTag',
    text: release(
      `${OTHER}    db:\n      image:\n        registry: registry.com\n        repository: bitnami/ghost:1.21.5-r0\n`,
    ),
    found: { db: 'registry.com/bitnami/ghost:1.21.5-r0' },
    set: { container: 'db', from: 'ghost:1.21.5-r0', to: 'ghost:some-other-tag' },
  },
  {
    name: 'TestParseMappedImageOnly',
    text: release(
      '    first: post\n    customRepository: bitnami/mariadb:10.1.30-r1\n',
      '    repository.fluxcd.io/mariadb: customRepository\n',
    ),
    found: { mariadb: 'bitnami/mariadb:10.1.30-r1' },
    set: { container: 'mariadb', from: 'mariadb:10.1.30-r1', to: 'mariadb:some-other-tag' },
  },
  {
    name: 'TestParseMappedImageTag',
    text: release(
      '    customRepository: bitnami/mariadb\n    customTag: 10.1.30-r1\n',
      '    repository.fluxcd.io/mariadb: customRepository\n    tag.fluxcd.io/mariadb: customTag\n',
    ),
    found: { mariadb: 'bitnami/mariadb:10.1.30-r1' },
    set: { container: 'mariadb', from: 'customTag: 10.1.30-r1', to: 'customTag: some-other-tag' },
  },
  {
    name: 'TestParseMappedRegistryImage',
    text: release(
      '    customRegistry: docker.io\n    customImage: bitnami/mariadb:10.1.30-r1\n',
      '    registry.fluxcd.io/mariadb: customRegistry\n    repository.fluxcd.io/mariadb: customImage\n',
    ),
    found: { mariadb: 'docker.io/bitnami/mariadb:10.1.30-r1' },
    set: { container: 'mariadb', from: 'mariadb:10.1.30-r1', to: 'mariadb:some-other-tag' },
  },
  {
    name: 'TestParseMappedRegistryImageTag',
    text: release(
      '    customRegistry: index.docker.io\n    customRepository: bitnami/mariadb\n    customTag: 10.1.30-r1\n',
      '    registry.fluxcd.io/mariadb: customRegistry\n    repository.fluxcd.io/mariadb: customRepository\n    tag.fluxcd.io/mariadb: customTag\n',
    ),
    found: { mariadb: 'index.docker.io/bitnami/mariadb:10.1.30-r1' },
    set: { container: 'mariadb', from: 'customTag: 10.1.30-r1', to: 'customTag: some-other-tag' },
  },
  {
    name: 'TestParseMappedImageFormats',
    text: release(
      '    customRepository: repo/imageone\n    customTag: tagOne\n\n    # Sub level image\n    CCC:\n      customRepository: repo/imagetwo\n      customTag: tagTwo\n    NNN:\n      image:\n        customRepository: repo/imagethree:tagThree\n    ZZZ:\n      nested:\n        deep:\n          customRegistry: registry.com\n          customRepository: repo/imagefour\n          customTag: tagFour\n',
      '    # Top level mapping\n    repository.fluxcd.io/AAA: customRepository\n    tag.fluxcd.io/AAA: customTag\n    repository.fluxcd.io/CCC: CCC.customRepository\n    tag.fluxcd.io/CCC: CCC.customTag\n    repository.fluxcd.io/NNN: NNN.image.customRepository\n    registry.fluxcd.io/ZZZ: ZZZ.nested.deep.customRegistry\n    repository.fluxcd.io/ZZZ: ZZZ.nested.deep.customRepository\n    tag.fluxcd.io/ZZZ: ZZZ.nested.deep.customTag\n',
    ),
    found: {
      AAA: 'repo/imageone:tagOne',
      CCC: 'repo/imagetwo:tagTwo',
      NNN: 'repo/imagethree:tagThree',
      ZZZ: 'registry.com/repo/imagefour:tagFour',
    },
  },
  {
    name: 'TestParseAllFormatsInOne',
    text: release(
      '    # top-level image\n    image: repo/imageone:tagOne\n\n    AAA:\n      image: repo/imagetwo\n      tag: tagTwo\n    DDD:\n      image:\n        repository: repo/imagethree\n        tag: tagThree\n      persistence:\n        enabled: false\n    HHH:\n      registry: registry.com\n      image: repo/imagefour\n      tag: tagFour\n    # under .container.image with a separate registry entry,\n    # but without a tag\n    NNN:\n      image:\n        registry: registry.com\n        repository: repo/imagefive:tagFive\n    XXX:\n      image:\n        registry: registry.com\n        repository: repo/imagesix\n        tag: tagSix\n    ZZZ:\n      customRepository: repo/imageseven\n      customTag: tagSeven\n',
      '    repository.fluxcd.io/ZZZ: ZZZ.customRepository\n    tag.fluxcd.io/ZZZ: ZZZ.customTag\n',
    ),
    found: {
      'chart-image': 'repo/imageone:tagOne',
      AAA: 'repo/imagetwo:tagTwo',
      DDD: 'repo/imagethree:tagThree',
      HHH: 'registry.com/repo/imagefour:tagFour',
      NNN: 'registry.com/repo/imagefive:tagFive',
      XXX: 'registry.com/repo/imagesix:tagSix',
      ZZZ: 'repo/imageseven:tagSeven',
    },
    set: { container: 'NNN', from: 'imagefive:tagFive', to: 'imagefive:some-other-tag' },
  },
]

describe('Flux v1 HelmRelease image detection cases', () => {
  it.each(CASES)('$name', ({ text, found, set }) => {
    const discovery = discover([{ path: 'r.yaml', text }])
    expect(discovery.problems).toEqual([])
    const images = Object.fromEntries(discovery.targets.map((t) => [t.container, t.current.written]))
    expect(images).toEqual(found)
    if (!set) return
    const target = discovery.targets.find((t) => t.container === set.container)!
    const result = rewriteFile('r.yaml', text, [{ target, newTag: 'some-other-tag', policy: 'glob:*' }])
    expect(result.problems).toEqual([])
    expect(text).toContain(set.from)
    expect(result.text).toBe(text.replace(set.from, set.to))
  })

  it('TestParseMappedTagOnly: a tag mapping without a repository mapping is an error, not a silent skip', () => {
    // Flux found no image here; imagebot says why the annotation cannot work.
    const text = release('    customTag: 10.1.30-r1\n', '    tag.fluxcd.io/mariadb: customTag\n')
    const discovery = discover([{ path: 'r.yaml', text }])
    expect(discovery.targets).toEqual([])
    expect(discovery.problems.map((problem) => problem.message)).toEqual([
      'r.yaml: ghost:helmrelease/ghost: annotation repository.fluxcd.io/mariadb is missing; add it next to the tag/registry mapping',
    ])
  })

  it('TestParseCronJob: containers of a CronJob', () => {
    const text = `apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  namespace: default\n  name: weekly-curl-homepage\n  annotations:\n    fluxcd.io/automated: "true"\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: weekly-curl-homepage\n            image: centos:7 # Has curl installed by default\n`
    const discovery = discover([{ path: 'c.yaml', text }])
    expect(discovery.targets.map((t) => [t.container, t.current.written])).toEqual([
      ['weekly-curl-homepage', 'centos:7'],
    ])
    const result = rewriteFile('c.yaml', text, [
      { target: discovery.targets[0]!, newTag: '8', policy: 'glob:*' },
    ])
    expect(result.text).toBe(text.replace('centos:7 #', 'centos:8 #'))
  })
})
