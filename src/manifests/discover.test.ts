import { describe, expect, it } from 'vitest'
import { type DiscoverOptions, discover } from './discover.js'
import { mightBeAutomated, mightBeAutomatedBytes } from './screen.js'

function one(text: string, path = 'a.yaml', options: DiscoverOptions = {}) {
  return discover([{ path, text }], options)
}

const deployment = (annotations: string, containers: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
${extra}  annotations:
${annotations}
spec:
  template:
    spec:
      containers:
${containers}
`
const automated = '    fluxcd.io/automated: "true"'
const nginx = '      - name: nginx\n        image: nginx:1.19.0'

describe('screening', () => {
  it('never parses a file without the automation token', () => {
    expect(one('a: [broken').problems).toEqual([])
    expect(mightBeAutomated('fluxcd.io/automated: "true"')).toBe(true)
    expect(mightBeAutomatedBytes(Buffer.from('x: 1\n'))).toBe(false)
    expect(mightBeAutomatedBytes(new TextEncoder().encode('flux.weave.works/automated: "true"'))).toBe(true)
  })

  it('reports an annotated file that does not parse, with line and column', () => {
    const { problems, targets } = one('# fluxcd.io/automated\na: 1\nb: [\nc: d\n', 'bad.yaml')
    expect(targets).toEqual([])
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({ code: 'YAML_PARSE', file: 'bad.yaml' })
    expect(problems[0]?.message).toMatch(/^bad\.yaml: YAML does not parse at line \d+, column \d+: /)
  })

  it('skips Helm templates silently', () => {
    const template = deployment(automated, '      - name: app\n        image: {{ .Values.image }}')
    const broken = `${automated}\nimage: {{ .Values.image }}\nx: [\n`
    const result = discover([
      { path: 'chart/Chart.yaml', text: 'name: chart\n' },
      { path: 'chart/templates/deploy.yaml', text: template },
      { path: 'chart/templates/plain.yaml', text: deployment(automated, nginx) },
      { path: 'other/broken.yaml', text: broken },
    ])
    expect(result).toEqual({ targets: [], skipped: [], problems: [] })
  })

  it('treats templates/ without Chart.yaml or braces as manifests', () => {
    const { targets } = one(deployment(automated, nginx), 'kustomize/templates/web.yaml')
    expect(targets.map((target) => target.container)).toEqual(['nginx'])
  })

  it('refuses alias bombs', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for (let i = 1; i < 6; i++) {
      const prev = String.fromCharCode(96 + i)
      const name = String.fromCharCode(97 + i)
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(',')}]`)
    }
    const { problems } = one(`# automated\n${levels.join('\n')}\n`, 'bomb.yaml')
    expect(problems.map((problem) => problem.code)).toEqual(['ALIAS_LIMIT'])
  })

  it('reports files over the size limit', () => {
    const text = deployment(automated, nginx) + `# ${'x'.repeat(2000)}\n`
    const { problems } = one(text, 'big.yaml', { maxFileBytes: 1000 })
    expect(problems).toMatchObject([{ code: 'FILE_TOO_LARGE', file: 'big.yaml' }])
  })
})

describe('workloads', () => {
  it('finds containers and init containers with their filters', () => {
    const annotations = `${automated}\n    fluxcd.io/tag.nginx: semver:~1.19\n    filter.fluxcd.io/init: glob:1.*`
    const containers = `${nginx}\n      initContainers:\n      - name: init\n        image: busybox:1.31`
    const { targets, problems } = one(deployment(annotations, containers))
    expect(problems).toEqual([])
    expect(targets.map((t) => [t.workload, t.container, t.current.written, t.policy])).toEqual([
      ['default:deployment/web', 'nginx', 'nginx:1.19.0', { kind: 'semver', pattern: '~1.19' }],
      ['default:deployment/web', 'init', 'busybox:1.31', { kind: 'glob', pattern: '1.*' }],
    ])
    const location = targets[0]!.fields.image!
    expect(location.path).toEqual(['spec', 'template', 'spec', 'containers', 0, 'image'])
    expect(deployment(annotations, containers).slice(...location.range)).toBe('nginx:1.19.0')
  })

  it.each([
    ['Pod', 'v1', 'spec:\n  containers:\n  - {name: c, image: "a:1"}'],
    ['ReplicaSet', 'apps/v1', 'spec:\n  template:\n    spec:\n      containers: [{name: c, image: "a:1"}]'],
    ['Job', 'batch/v1', 'spec:\n  template:\n    spec:\n      containers: [{name: c, image: "a:1"}]'],
    [
      'CronJob',
      'batch/v1',
      'spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: c, image: "a:1"}]',
    ],
    [
      'Deployment',
      'extensions/v1beta1',
      'spec:\n  template:\n    spec:\n      containers: [{name: c, image: "a:1"}]',
    ],
  ])('reads %s (%s)', (kind, apiVersion, spec) => {
    const text = `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: w\n  namespace: ns\n  annotations:\n${automated}\n${spec}\n`
    expect(one(text).targets.map((t) => `${t.workload}/${t.container}`)).toEqual([
      `ns:${kind.toLowerCase()}/w/c`,
    ])
  })

  it('treats both annotation prefixes alike and needs exactly "true"', () => {
    const old = one(deployment('    flux.weave.works/automated: "true"', nginx))
    expect(old.targets).toHaveLength(1)
    const capital = one(deployment('    fluxcd.io/automated: "True"', nginx))
    expect(capital.targets).toEqual([])
    expect(capital.skipped).toMatchObject([{ container: 'nginx', reason: 'not automated' }])
  })

  it('skips locked and ignored workloads with the reason', () => {
    const locked = one(deployment(`${automated}\n    fluxcd.io/locked: "true"`, nginx))
    expect(locked.skipped).toMatchObject([
      { workload: 'default:deployment/web', container: 'nginx', reason: 'locked' },
    ])
    const ignored = one(deployment(`${automated}\n    flux.weave.works/ignore: "true"`, nginx))
    expect(ignored.skipped).toMatchObject([{ reason: 'ignored' }])
    expect(ignored.targets).toEqual([])
  })

  it('reports an invalid image reference naming file, workload, container and value', () => {
    const { problems } = one(
      deployment(automated, '      - name: app\n        image: Example/App:1'),
      'x.yaml',
    )
    expect(problems).toMatchObject([
      { code: 'IMAGE_REF_INVALID', file: 'x.yaml', workload: 'default:deployment/web', container: 'app' },
    ])
    expect(problems[0]?.message).toContain('Example/App:1')
  })

  it('skips scalars that cannot be edited safely', () => {
    // An escaped line break joins the lines: a valid reference spread over two lines.
    const block =
      '      - name: a\n        image: >-\n          nginx:1.0\n      - name: b\n        image: "nginx:\\\n          1.0"'
    const { skipped, targets, problems } = one(deployment(automated, block))
    expect(problems).toEqual([])
    expect(targets).toEqual([])
    expect(skipped.map((entry) => entry.reason)).toEqual([
      expect.stringMatching(/^cannot edit safely: block scalar/),
      expect.stringMatching(/^cannot edit safely: multi-line scalar/),
    ])
  })

  it('ignores non-Kubernetes YAML and unknown kinds', () => {
    expect(one(`automated: true\nlist: [1, 2]\n`)).toEqual({ targets: [], skipped: [], problems: [] })
    const other = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n${automated}\n`
    expect(one(other).targets).toEqual([])
  })
})

describe('selection', () => {
  const files = [
    { path: 'releases/a.yaml', text: deployment(automated, nginx, '  namespace: prod\n') },
    { path: 'releases-old/b.yaml', text: deployment(automated, nginx, '  namespace: dev\n') },
    { path: 'c.yaml', text: deployment(automated, nginx) },
  ]

  it('selects path prefixes like --git-path', () => {
    const found = discover(files, { paths: ['./releases/'] }).targets.map((t) => t.file)
    expect(found).toEqual(['releases/a.yaml'])
    expect(discover(files, { paths: ['.'] }).targets).toHaveLength(3)
  })

  it('returns nothing from namespaces outside the allow-list', () => {
    const result = discover(files, { namespaces: ['prod', 'default'] })
    expect(result.targets.map((t) => t.workload)).toEqual(['prod:deployment/web', 'default:deployment/web'])
  })
})
