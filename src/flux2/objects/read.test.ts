import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { createPolicy, decide } from '../../../policies/index.js'
import type { Problem } from '../../problems.js'
import { emptyObjects } from './model.js'
import { readObject } from './read.js'

function read(yaml: string, namespace = 'default') {
  const objects = emptyObjects()
  const problems: Problem[] = []
  readObject(parse(yaml), 'flux.yaml', namespace, objects, problems)
  return { objects, problems }
}

function policyYaml(spec: string): string {
  return `apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImagePolicy
metadata: { name: app, namespace: apps }
spec:
  imageRepositoryRef: { name: app }
${spec}`
}

/** The policy an ImagePolicy compiles to, and its pick among `tags`. */
function pick(spec: string, tags: string[]): string | undefined {
  const { objects, problems } = read(policyYaml(spec))
  expect(problems).toEqual([])
  const policy = createPolicy(objects.policies[0]!.spec)
  return decide({ policy, tags }).next
}

describe('ImagePolicy', () => {
  // image-reflector-controller internal/controller/policy_test.go TestImagePolicyReconciler_filterTags:
  // filter ^test-(.*)$, extract $1, semver >=0.x picks test-0.1.1 (not 1.0.2, which the filter drops).
  it('filters, extracts and orders the extracted part', () => {
    const spec = `  filterTags: { pattern: '^test-(.*)$', extract: '$1' }
  policy: { semver: { range: '>=0.x' } }`
    const tags = ['test-0.1.0', 'test-0.1.1', 'dev-0.2.0', '1.0.0', '1.0.1', '1.0.2', '1.1.0-alpha']
    expect(pick(spec, tags)).toBe('test-0.1.1')
  })

  // The same test: an invalid filter regex is an error of the policy, never "match everything".
  it('rejects an invalid filter when the policy is compiled', () => {
    const { objects } = read(
      policyYaml(`  filterTags: { pattern: '^test-(.*', extract: '$1' }
  policy: { semver: { range: '>=0.x' } }`),
    )
    expect(() => createPolicy(objects.policies[0]!.spec)).toThrow(/\^test-\(\.\*/)
  })

  // TestImagePolicyReconciler_calculateImageFromRepoTags "using AlphabeticalPolicy": asc picks zesty.
  it('maps alphabetical and numerical orders', () => {
    const codenames = ['xenial', 'yakkety', 'zesty', 'artful', 'bionic']
    expect(pick('  policy: { alphabetical: { order: asc } }', codenames)).toBe('zesty')
    expect(pick('  policy: { alphabetical: { order: desc } }', codenames)).toBe('artful')
    expect(pick('  policy: { alphabetical: {} }', codenames)).toBe('zesty')
    // Flux's numerical cases use negative numbers, which are not valid tags (a tag starts with a word character).
    expect(pick('  policy: { numerical: { order: desc } }', ['5', '80', '25', '70'])).toBe('5')
    expect(pick('  policy: { numerical: { order: asc } }', ['5', '80', '25', '70'])).toBe('80')
  })

  it('names the policy as Flux does and keeps the repository reference', () => {
    const { objects } = read(
      policyYaml(`  policy: { semver: { range: 1.x } }
  digestReflectionPolicy: Always`).replace('{ name: app }', '{ name: app, namespace: images }'),
    )
    expect(objects.policies[0]).toMatchObject({
      namespace: 'apps',
      name: 'app',
      repository: { namespace: 'images', name: 'app' },
      spec: { kind: 'semver', pattern: '1.x', label: 'flux:apps/app' },
      reflectDigest: true,
    })
  })

  it('reports a policy it cannot read, and does not use it', () => {
    const both = read(policyYaml('  policy: { semver: { range: 1.x }, numerical: {} }'))
    expect(both.objects.policies).toEqual([])
    expect(both.problems[0]?.message).toBe(
      'flux.yaml: ImagePolicy apps/app: spec.policy must name exactly one of semver, alphabetical, numerical (got semver, numerical); the policy is not used',
    )
    const order = read(policyYaml('  policy: { numerical: { order: up } }'))
    expect(order.problems[0]?.message).toMatch(/order must be asc or desc, got up/)
  })
})

describe('ImageRepository', () => {
  it('reads image, interval and the default exclusion, and reports credentials it cannot use', () => {
    const { objects, problems } = read(
      `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata: { name: podinfo }
spec:
  image: ghcr.io/stefanprodan/podinfo
  interval: 1m
  secretRef: { name: ghcr }
  provider: aws`,
      'flux-system',
    )
    expect(objects.repositories).toEqual([
      {
        namespace: 'flux-system',
        name: 'podinfo',
        file: 'flux.yaml',
        image: 'ghcr.io/stefanprodan/podinfo',
        interval: '1m',
        exclusionList: ['^.*\\.sig$'],
        insecure: false,
      },
    ])
    expect(problems.map((problem) => [problem.severity, problem.message])).toEqual([
      [
        'warning',
        'flux.yaml: ImageRepository flux-system/podinfo: spec.secretRef is not read (no cluster); give the credentials for ghcr.io in imagebot.yaml (registries[].auth), a Docker config, or IMAGEBOT_REGISTRY_* variables',
      ],
      [
        'warning',
        'flux.yaml: ImageRepository flux-system/podinfo: spec.provider aws is not used (no cloud identity is read); give a token for ghcr.io in imagebot.yaml (registries[].auth) or a Docker config credential helper',
      ],
    ])
  })
})

describe('ImageUpdateAutomation', () => {
  it('reads source, checkout and push branches, author, template, path and selector', () => {
    const { objects, problems } = read(`apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImageUpdateAutomation
metadata: { name: apps, namespace: flux-system }
spec:
  sourceRef: { kind: GitRepository, name: fleet }
  git:
    checkout: { ref: { branch: main } }
    commit:
      author: { name: fluxcdbot, email: fluxcdbot@users.noreply.github.com }
      messageTemplate: '{{range .Changed.Changes}}{{print .OldValue}} -> {{println .NewValue}}{{end}}'
    push: { branch: image-updates }
  update: { path: ./clusters/staging/, strategy: Setters }
  policySelector:
    matchLabels: { team: a }
    matchExpressions: [{ key: tier, operator: In, values: [web] }]`)
    expect(problems).toEqual([])
    expect(objects.automations[0]).toMatchObject({
      sourceRef: { kind: 'GitRepository', name: 'fleet', namespace: 'flux-system' },
      checkoutBranch: 'main',
      pushBranch: 'image-updates',
      author: { name: 'fluxcdbot', email: 'fluxcdbot@users.noreply.github.com' },
      path: 'clusters/staging',
      policySelector: {
        matchLabels: { team: 'a' },
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }],
      },
    })
    expect(objects.automations[0]?.messageTemplate).toContain('.Changed.Changes')
  })

  it('refuses a strategy other than Setters', () => {
    const { objects, problems } = read(`apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata: { name: apps, namespace: flux-system }
spec:
  sourceRef: { name: fleet }
  update: { strategy: Replace }`)
    expect(objects.automations).toEqual([])
    expect(problems[0]?.message).toMatch(/strategy Replace is not Setters/)
  })
})
