// Commands on a local checkout, run as a user runs them (`node bin/imagebot.js …`): the targets table, and the
// config's paths and namespaces applied to `targets <dir>` and `plan <dir>` so both show what `once` would do.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt, imagebot } from './support/built-cli.js'
import { automatedDeployment } from './support/manifests.js'

const deployment = (name: string, namespace: string, image: string, annotations?: Record<string, string>) =>
  automatedDeployment({ name, namespace, image, ...(annotations && { annotations }) })
const BROKEN =
  'kind: Deployment\nmetadata:\n  annotations:\n    fluxcd.io/automated: "true"\n  name: [broken\n'

let dir: string
let config: string
beforeAll(async () => {
  ensureBuilt()
  dir = await mkdtemp(join(tmpdir(), 'imagebot-cli-local-'))
  await mkdir(join(dir, 'apps'))
  await mkdir(join(dir, 'other'))
  await writeFile(
    join(dir, 'apps', 'web.yaml'),
    [
      deployment('zeta', 'team-a', 'example/zeta:1.0.0'),
      deployment('alpha', 'team-a', 'example/alpha:2.0.0'),
      deployment('held', 'team-a', 'example/held:1.0.0', { 'fluxcd.io/locked': '"true"' }),
      deployment('elsewhere', 'team-b', 'example/b:1.0.0'),
    ].join('---\n'),
  )
  await writeFile(join(dir, 'other', 'broken.yaml'), BROKEN)
  config = join(dir, 'imagebot.yaml')
  await writeFile(
    config,
    'repositories:\n  - url: https://git.example.test/config.git\n    paths: [apps]\n    namespaces: [team-a]\n',
  )
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('imagebot targets', () => {
  it('prints a sorted table with a header; locked workloads only with --all', async () => {
    const { code, stdout } = await imagebot(['targets', join(dir, 'apps')])
    expect(code).toBe(0)
    const lines = stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^FILE +WORKLOAD +CONTAINER +IMAGE +POLICY$/)
    expect(lines.slice(1).map((line) => line.split(/ +/)[1])).toEqual([
      'team-a:deployment/alpha',
      'team-a:deployment/zeta',
      'team-b:deployment/elsewhere',
    ])
    // Aligned: every row's IMAGE column starts where the header's does.
    const imageColumn = lines[0]?.indexOf('IMAGE')
    for (const line of lines.slice(1)) expect(line.indexOf('example/'), line).toBe(imageColumn)
    expect(stdout).not.toContain('held')

    const all = await imagebot(['targets', join(dir, 'apps'), '--all'])
    expect(all.stdout).toMatch(
      /skipped:\n +FILE +WORKLOAD +CONTAINER +REASON\n +web\.yaml +team-a:deployment\/held +app +locked/,
    )
  })

  it('says so when nothing is automated', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'imagebot-cli-empty-'))
    const { code, stdout } = await imagebot(['targets', empty])
    await rm(empty, { recursive: true })
    expect(code).toBe(0)
    expect(stdout).toBe('no automated containers found\n')
  })

  it('applies the config repository’s paths and namespaces with --config', async () => {
    const whole = await imagebot(['targets', dir, '--json'])
    expect(whole.code).toBe(1) // other/broken.yaml
    const { code, stdout } = await imagebot(['targets', dir, '--config', config, '--json'])
    expect(code).toBe(0)
    const report = JSON.parse(stdout)
    expect(report.targets.map((t: { workload: string }) => t.workload).sort()).toEqual([
      'team-a:deployment/alpha',
      'team-a:deployment/zeta',
    ])
    expect(report.errors).toEqual([])
  })

  it('exits 2 in one line for a directory that does not exist', async () => {
    const { code, stdout, stderr } = await imagebot(['targets', join(dir, 'nope')])
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toBe(`${join(dir, 'nope')}: no such directory; give a checkout of the config repository\n`)
  })
})

describe('imagebot plan <dir>', () => {
  it('honours the config’s paths: a broken file outside them is not this config’s business', async () => {
    // Only the locked workload would be planned under apps/ in team-a without registry calls: use it alone.
    const only = await mkdtemp(join(tmpdir(), 'imagebot-cli-plan-'))
    await mkdir(join(only, 'apps'))
    await mkdir(join(only, 'other'))
    await writeFile(
      join(only, 'apps', 'held.yaml'),
      deployment('held', 'team-a', 'example/held:1.0.0', { 'fluxcd.io/locked': '"true"' }),
    )
    await writeFile(join(only, 'other', 'broken.yaml'), BROKEN)
    const onlyConfig = join(only, 'imagebot.yaml')
    await writeFile(
      onlyConfig,
      'repositories:\n  - url: https://git.example.test/config.git\n    paths: [apps]\n',
    )
    const without = await imagebot(['plan', only, '--json'])
    const withConfig = await imagebot(['plan', only, '--config', onlyConfig, '--json'])
    await rm(only, { recursive: true })
    expect(without.code).toBe(1)
    expect(JSON.parse(without.stdout).repositories[0].errors).toContainEqual(
      expect.objectContaining({ file: 'other/broken.yaml' }),
    )
    expect(withConfig.code).toBe(0)
    const planned = JSON.parse(withConfig.stdout).repositories[0]
    expect(planned.errors).toEqual([])
    expect(planned.skipped).toContainEqual(expect.objectContaining({ workload: 'team-a:deployment/held' }))
  })

  it('asks which repository when the config lists several', async () => {
    const several = join(dir, 'several.yaml')
    await writeFile(
      several,
      'repositories:\n  - url: https://git.example.test/a.git\n  - url: https://git.example.test/b.git\n',
    )
    const { code, stderr } = await imagebot(['targets', dir, '--config', several])
    expect(code).toBe(2)
    expect(stderr).toContain('--repo')
    expect(stderr).toContain('https://git.example.test/b.git')
    const chosen = await imagebot([
      'targets',
      join(dir, 'apps'),
      '--config',
      several,
      '--repo',
      'https://git.example.test/a.git',
    ])
    expect(chosen.code).toBe(0)
  })
})
