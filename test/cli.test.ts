// The commands as a user runs them: `node bin/imagebot.js …` in a child process, against real servers.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt, imagebot } from './support/built-cli.js'
import { EXPECTED_TAGS, PODINFO } from './support/gitops-helm.js'
import { importGraph } from './support/import-graph.js'
import { CI_TAGS, REPO, type Scenario, startScenario } from './support/scenario.js'

let scenario: Scenario
let scratch: string
beforeAll(async () => {
  ensureBuilt()
  scenario = await startScenario({
    files: {
      'releases/dev/broken.yaml':
        'kind: Deployment\nmetadata:\n  annotations:\n    fluxcd.io/automated: "true"\n  name: [broken\n',
    },
  })
  await scenario.pushTags(CI_TAGS)
  scratch = await mkdtemp(join(tmpdir(), 'imagebot-cli-'))
}, 60_000)
afterAll(async () => {
  await scenario.stop()
  await rm(scratch, { recursive: true, force: true })
})

describe('imagebot CLI', () => {
  it('targets lists automated containers and exits 1 for an annotated file that does not parse', async () => {
    const dir = join(import.meta.dirname, '..', 'fixtures', 'fluxhelmrelease-podinfo', 'original')
    const ok = await imagebot(['targets', dir, '--json'])
    expect(ok.code).toBe(0)
    const report = JSON.parse(ok.stdout)
    expect(report.targets).toContainEqual(
      expect.objectContaining({
        container: 'chart-image',
        image: 'stefanprodan/podinfo:dev-kb9lm91e',
        policy: 'glob:dev-*',
      }),
    )
    await writeFile(
      join(scratch, 'bad.yaml'),
      'metadata:\n  annotations:\n    fluxcd.io/automated: "true"\n  x: [\n',
    )
    const bad = await imagebot(['targets', scratch, '--json'])
    expect(bad.code).toBe(1)
    expect(JSON.parse(bad.stdout).errors).toContainEqual(expect.objectContaining({ file: 'bad.yaml' }))
  })

  it('tags shows the newest tags for a policy and the pick, with build times', async () => {
    const { code, stdout } = await imagebot([
      'tags',
      PODINFO,
      '--config',
      scenario.configPath,
      '--policy',
      'glob:stg-*',
      '--json',
    ])
    expect(code).toBe(0)
    const report = JSON.parse(stdout)
    expect(report.pick).toBe(EXPECTED_TAGS.stg)
    expect(report.policy).toBe('glob:stg-*')
    expect(report.tags.map((tag: { tag: string }) => tag.tag)).toEqual([
      'stg-0c9f7d13',
      'stg-51bd6c2f',
      'stg-9ij63o4c',
    ])
    expect(report.tags[0].created).toMatch(/^20\d\d-/)
    expect(report.tags[0].digest).toMatch(/^sha256:/)
  })

  it('plan shows the updates and the error without writing; once pushes and exits 1 for the bad file', async () => {
    const headBefore = await scenario.git.head(REPO, 'main')
    const plan = await imagebot(['plan', '--config', scenario.configPath, '--json'])
    expect(plan.code).toBe(1)
    // One broken file: the rest is still planned, so the run is partial, not an error.
    expect(JSON.parse(plan.stdout).outcome).toBe('partial')
    const planned = JSON.parse(plan.stdout).repositories[0]
    expect(planned.outcome).toBe('partial')
    expect(planned.updates).toHaveLength(3)
    expect(planned.errors).toContainEqual(expect.objectContaining({ file: 'releases/dev/broken.yaml' }))
    expect(await scenario.git.head(REPO, 'main')).toBe(headBefore)

    const diff = await imagebot(['plan', '--config', scenario.configPath, '--diff'])
    expect(diff.stdout).toContain(`+      tag: ${EXPECTED_TAGS.dev} # set by imagebot`)
    expect(diff.stdout).not.toContain('\x1b[') // NO_COLOR, and not a terminal

    // --explain: a heading, then each file, its workloads indented under it, lines within 100 columns.
    const explain = await imagebot(['plan', '--config', scenario.configPath, '--explain'])
    const decisions = explain.stdout.slice(explain.stdout.indexOf('\nDecisions\n'))
    expect(decisions).toMatch(
      /\nreleases\/dev\/podinfo\.yaml\n {2}dev:helmrelease\/podinfo-dev\n {4}chart-image \[glob:dev-\*\] stefanprodan\/podinfo:dev-kb9lm91e → stefanprodan\/podinfo:dev-1f3e9a27\n {6}\S/,
    )
    for (const line of decisions.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100)
    // The broken file is named once per error line.
    const brokenLine = explain.stderr.split('\n').find((line) => line.includes('broken.yaml'))
    expect(brokenLine?.split('releases/dev/broken.yaml')).toHaveLength(2)

    const once = await imagebot(['once', '--config', scenario.configPath, '--json'])
    expect(once.code).toBe(1)
    expect(JSON.parse(once.stdout).outcome).toBe('partial')
    const done = JSON.parse(once.stdout).repositories[0]
    expect(done.commit).toBe(await scenario.git.head(REPO, 'main'))
  }, 120_000) // three runs, one with a clone and a push: slow on a busy machine

  it('exits 2 with the key path for a config error', async () => {
    const config = join(scratch, 'imagebot.yaml')
    await writeFile(config, 'repositories:\n  - url: https://example.test/r.git\n    brnch: main\n')
    const { code, stderr } = await imagebot(['once', '--config', config])
    expect(code).toBe(2)
    expect(stderr).toContain('imagebot.yaml')
    expect(stderr).toContain('brnch')
  })

  it.each([
    ['a bare imagebot', []],
    ['an unknown command', ['nope']],
    ['an unknown option', ['targets', '.', '--bogus']],
    ['a missing argument', ['tags']],
    ['a missing --config', ['once']],
    ['a missing --config for start', ['start']],
    ['plan with neither a directory nor --config', ['plan']],
  ])('exits 2 for %s, with one line of usage help and no stack trace', async (_case, args) => {
    const { code, stdout, stderr } = await imagebot(args)
    expect(code).toBe(2)
    expect(stderr).toMatch(/\S/)
    expect(`${stdout}${stderr}`).not.toMatch(/^\s+at /m)
  })

  it('exits 0 for --version and --help', async () => {
    const version = await imagebot(['--version'])
    expect(version).toMatchObject({ code: 0, stdout: '0.1.0\n' })
    const help = await imagebot(['--help'])
    expect(help.code).toBe(0)
    for (const command of ['targets', 'tags', 'plan', 'once', 'start', 'demo']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'))
    }
  })
})

describe('command loading', () => {
  // Start-up cost is what a command imports: each command module loads only when it runs (src/cli/commands.ts).
  const cli = (file: string) => join(import.meta.dirname, '..', 'src', 'cli', file)

  it('start-up loads the command table and commander only, no command module', async () => {
    const graph = await importGraph(cli('main.ts'))
    expect([...graph.packages]).toEqual(['commander'])
    const names = [...graph.files].map((file) => file.split('/src/').at(-1))
    expect(names.sort()).toEqual([
      'cli/commands.ts',
      'cli/failure.ts',
      'cli/main.ts',
      'cli/output.ts',
      'config/issues.ts',
    ])
  })

  it('targets never loads git, BullMQ, the HTTP server or the registry client', async () => {
    const graph = await importGraph(cli('targets.ts'), { dynamic: true })
    for (const heavy of ['isomorphic-git', 'bullmq', 'ioredis', 'fastify', 'got', 'prom-client']) {
      expect([...graph.packages], heavy).not.toContain(heavy)
    }
  })
})
