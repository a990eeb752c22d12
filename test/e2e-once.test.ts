// The whole mission against real servers: docker-registry, git http-backend, isomorphic-git.
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/index.js'
import { createClient } from '../src/run/observer.js'
import { runCycle } from '../src/run/once.js'
import { EXPECTED_TAGS, gitopsHelmFiles } from './support/gitops-helm.js'
import { BOT, CI_TAGS, REPO, type Scenario, type ScenarioOptions, startScenario } from './support/scenario.js'

let scenario: Scenario | undefined
afterEach(async () => {
  await scenario?.stop()
  scenario = undefined
})

async function once(s: Scenario) {
  const config = await loadConfig(s.configPath, {})
  return runCycle(config, createClient(config))
}

async function setUp(options: ScenarioOptions = {}) {
  scenario = await startScenario(options)
  await scenario.pushTags(CI_TAGS)
  return scenario
}

function withTag(path: string, from: string, to: string): string {
  const original = gitopsHelmFiles()[path]!
  expect(original).toContain(`tag: ${from} #`)
  return original.replace(`tag: ${from} #`, `tag: ${to} #`)
}

describe('imagebot once on the gitops-helm scenario', () => {
  it('makes exactly one commit with the right tags, every other byte kept, and is idempotent', async () => {
    const s = await setUp()
    const before = await s.git.log(REPO, 'main')

    const first = await once(s)
    const repository = first.report.repositories[0]!
    expect(repository.errors).toEqual([])
    expect(repository.updates.map((u) => u.next).sort()).toEqual([
      `stefanprodan/podinfo:${EXPECTED_TAGS.prod}`,
      `stefanprodan/podinfo:${EXPECTED_TAGS.dev}`,
      `stefanprodan/podinfo:${EXPECTED_TAGS.stg}`,
    ])

    const log = await s.git.log(REPO, 'main')
    expect(log).toHaveLength(before.length + 1)
    const commit = log[0]!
    expect(commit.oid).toBe(repository.commit)
    expect(commit.parents).toEqual([before[0]!.oid])
    expect(commit.authorName).toBe(BOT.name)
    expect(commit.authorEmail).toBe(BOT.email)
    expect(commit.subject).toBe('Auto-release multiple (3) images')
    expect(commit.message).toContain('releases/stg/podinfo.yaml')

    expect(await s.git.readFile(REPO, 'main', 'releases/dev/podinfo.yaml')).toBe(
      withTag('releases/dev/podinfo.yaml', 'dev-kb9lm91e', EXPECTED_TAGS.dev),
    )
    expect(await s.git.readFile(REPO, 'main', 'releases/stg/podinfo.yaml')).toBe(
      withTag('releases/stg/podinfo.yaml', 'stg-9ij63o4c', EXPECTED_TAGS.stg),
    )
    expect(await s.git.readFile(REPO, 'main', 'releases/prod/podinfo.yaml')).toBe(
      withTag('releases/prod/podinfo.yaml', '0.4.10', EXPECTED_TAGS.prod),
    )
    for (const path of [
      'namespaces/dev.yaml',
      'charts/podinfo/templates/deployment.yaml',
      'releases/prod/redis.yaml',
    ]) {
      expect(await s.git.readFile(REPO, 'main', path)).toBe(gitopsHelmFiles()[path])
    }

    const second = await once(s)
    expect(second.report.repositories[0]!.commit).toBeUndefined()
    expect(second.report.repositories[0]!.updates).toEqual([])
    // Up to date is not skipped, and containers without automation are no news in a plan.
    expect(second.report.repositories[0]!.skipped).toEqual([])
    expect(await s.git.log(REPO, 'main')).toHaveLength(before.length + 1)
  })

  it('recomputes on the new head when a human commit lands between fetch and push', async () => {
    const s = await setUp()
    // The human locks the stg release while the bot is pushing: the bot must not touch stg afterwards.
    const locked = gitopsHelmFiles()['releases/stg/podinfo.yaml']!.replace(
      '    flux.weave.works/automated: "true"\n',
      '    flux.weave.works/automated: "true"\n    flux.weave.works/locked: "true"\n',
    )
    await s.git.installRaceHook(
      REPO,
      'main',
      { 'releases/stg/podinfo.yaml': locked },
      { message: 'Lock stg' },
    )
    const before = await s.git.log(REPO, 'main')

    const run = await once(s)
    const repository = run.report.repositories[0]!
    expect(repository.errors).toEqual([])
    const log = await s.git.log(REPO, 'main')
    expect(log).toHaveLength(before.length + 2)
    expect(log[1]!.subject).toBe('Lock stg')
    expect(log[0]!.authorName).toBe(BOT.name)
    expect(log[0]!.parents).toEqual([log[1]!.oid])
    expect(await s.git.readFile(REPO, 'main', 'releases/stg/podinfo.yaml')).toBe(locked)
    expect(await s.git.readFile(REPO, 'main', 'releases/dev/podinfo.yaml')).toContain(
      `tag: ${EXPECTED_TAGS.dev} #`,
    )
    expect(
      repository.skipped.some(
        (skip) => skip.file === 'releases/stg/podinfo.yaml' && /locked/.test(skip.reason),
      ),
    ).toBe(true)
  })

  it('updates the rest and reports each bad input by file or image', async () => {
    const s = await setUp({
      files: {
        'releases/dev/broken.yaml':
          'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  annotations:\n    fluxcd.io/automated: "true"\n  name: [broken\n',
        'releases/dev/elsewhere.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: elsewhere
  namespace: dev
  annotations:
    fluxcd.io/automated: "true"
spec:
  template:
    spec:
      containers:
        - name: app
          image: 127.0.0.1:1/acme/app:1.0.0
`,
        // Locked, on a registry nobody answers at: it must not be scanned at all, so it cannot fail.
        'releases/dev/frozen.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: frozen
  namespace: dev
  annotations:
    fluxcd.io/automated: "true"
    fluxcd.io/locked: "true"
spec:
  template:
    spec:
      containers:
        - name: app
          image: 127.0.0.1:2/acme/frozen:1.0.0
`,
        'releases/prod/podinfo.yaml': gitopsHelmFiles()['releases/prod/podinfo.yaml']!.replace(
          '    flux.weave.works/automated: "true"\n',
          '    flux.weave.works/automated: "true"\n    flux.weave.works/locked: "true"\n',
        ),
      },
      extraRegistries: '  - host: 127.0.0.1:1\n    endpoint: http://127.0.0.1:1\n    maxRetries: 0\n',
    })
    const run = await once(s)
    const repository = run.report.repositories[0]!
    expect(repository.commit).toBeDefined()
    expect(repository.updates.map((u) => u.file).sort()).toEqual([
      'releases/dev/podinfo.yaml',
      'releases/stg/podinfo.yaml',
    ])
    expect(repository.errors).toContainEqual(expect.objectContaining({ file: 'releases/dev/broken.yaml' }))
    expect(repository.errors).toContainEqual(
      expect.objectContaining({
        image: '127.0.0.1:1/acme/app',
        // Which registries[] entry sent it where, and which workloads wait on the image (issue 10 §2).
        message: expect.stringMatching(
          /connection refused \(registries\[\d+\] \(host 127\.0\.0\.1:1\), http:\/\/127\.0\.0\.1:1\/; check that it is reachable\).*; affects dev:deployment\/elsewhere$/,
        ),
      }),
    )
    expect(repository.skipped).toContainEqual(
      expect.objectContaining({
        file: 'releases/prod/podinfo.yaml',
        reason: expect.stringMatching(/locked/),
      }),
    )
    expect(await s.git.readFile(REPO, 'main', 'releases/prod/podinfo.yaml')).toContain('tag: 0.4.10 #')
    expect(JSON.stringify(repository.errors)).not.toContain('frozen')
    expect(repository.skipped).toContainEqual(
      expect.objectContaining({ file: 'releases/dev/frozen.yaml', reason: 'locked' }),
    )
  })
})
