// Annotation warnings reach every place a user or operator looks: `targets`, `plan` and `once` (text
// and JSON), and the daemon's update outcome that /status shows; none of them fails the run.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/index.js'
import { createPipelineHandlers } from '../src/run/handlers.js'
import { createClient } from '../src/run/observer.js'
import { memoryStatusStore } from '../src/server/status.js'
import { ensureBuilt, imagebot } from './support/built-cli.js'
import { type Scenario, startScenario } from './support/scenario.js'

const MISSPELT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: misspelt
  namespace: dev
  annotations:
    fluxcd.io/automated: "true"
    fluxcd.io/tag.podinfo: glob:dev-*
    fluxcd.io/tag.podinof: semver:~1
spec:
  template:
    spec:
      containers:
      - name: podinfo
        image: stefanprodan/podinfo:dev-kb9lm91e
`
const WARNING =
  /annotation fluxcd\.io\/tag\.podinof names no container .*did you mean fluxcd\.io\/tag\.podinfo\?/

let scenario: Scenario
let scratch: string
beforeAll(async () => {
  ensureBuilt()
  scenario = await startScenario({ files: { 'apps/misspelt.yaml': MISSPELT } })
  scratch = await mkdtemp(join(tmpdir(), 'imagebot-warnings-'))
  await writeFile(join(scratch, 'misspelt.yaml'), MISSPELT)
}, 60_000)
afterAll(async () => {
  await scenario.stop()
  await rm(scratch, { recursive: true, force: true })
})

describe('annotation warnings', () => {
  it('targets lists them in JSON and text and exits 0', async () => {
    const json = await imagebot(['targets', scratch, '--json'])
    expect(json.code).toBe(0)
    const report = JSON.parse(json.stdout)
    expect(report.errors).toEqual([
      { file: 'misspelt.yaml', message: expect.stringMatching(WARNING), severity: 'warning' },
    ])
    expect(report.targets).toHaveLength(1)
    const text = await imagebot(['targets', scratch])
    expect(text.code).toBe(0)
    expect(text.stderr).toMatch(new RegExp(`^warning: .*${WARNING.source}`, 'm'))
  })

  it('plan lists them in JSON and text and exits 0', async () => {
    const plan = await imagebot(['plan', '--config', scenario.configPath, '--json'])
    expect(plan.code).toBe(0)
    const report = JSON.parse(plan.stdout).repositories[0]
    expect(report.errors).toEqual([
      { file: 'apps/misspelt.yaml', message: expect.stringMatching(WARNING), severity: 'warning' },
    ])
    const text = await imagebot(['plan', '--config', scenario.configPath])
    expect(text.code).toBe(0)
    // Named once: the label, then the message, which begins with the file.
    expect(text.stderr).toMatch(new RegExp(`warning: apps/misspelt\\.yaml: .*${WARNING.source}`))
  }, 90_000)

  it('the daemon update outcome carries them to /status, and once still exits 0', async () => {
    const config = await loadConfig(scenario.configPath, {})
    const handlers = createPipelineHandlers(config, createClient(config))
    const outcome = await handlers.update(scenario.repoUrl)
    expect(outcome.errors).toEqual([])
    expect(outcome.warnings).toEqual([expect.stringMatching(WARNING)])
    const store = memoryStatusStore()
    await store.recordUpdate(scenario.repoUrl, outcome, new Date())
    const snapshot = await store.snapshot()
    expect(snapshot.configRepos[0]?.warnings).toEqual([expect.stringMatching(WARNING)])

    const once = await imagebot(['once', '--config', scenario.configPath, '--json'])
    expect(once.code).toBe(0)
    expect(JSON.parse(once.stdout).repositories[0].errors).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(WARNING) }),
    ])
  }, 120_000)
})
