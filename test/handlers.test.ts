// The daemon's pipeline handlers on real servers: discovery, a scan that says which config repos would move,
// an update, and registry client warnings passed on once.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/index.js'
import { createPipelineHandlers } from '../src/run/handlers.js'
import { createClient } from '../src/run/observer.js'
import { EXPECTED_TAGS } from './support/gitops-helm.js'
import { CI_TAGS, REPO, type Scenario, startScenario } from './support/scenario.js'

const PODINFO = 'docker.io/stefanprodan/podinfo'
let scenario: Scenario
beforeAll(async () => {
  scenario = await startScenario()
}, 60_000)
afterAll(() => scenario.stop())

describe('pipeline handlers', () => {
  it('discover, scan, update, scan again; warnings are told once', async () => {
    const config = await loadConfig(scenario.configPath, {})
    // A damaged cache file is ignored with a warning, which the daemon must get to log.
    await mkdir(join(config.stateDir, 'registry'), { recursive: true })
    await writeFile(join(config.stateDir, 'registry', 'registry-cache.json'), '{ not json')
    const warnings: string[] = []
    const handlers = createPipelineHandlers(config, createClient(config), {
      onRegistryWarning: (warning) => warnings.push(warning),
    })

    expect(await handlers.discover()).toEqual([
      { image: PODINFO, configRepos: [scenario.repoUrl], intervalMs: config.scan.intervalMs },
    ])
    const quiet = await handlers.scan(PODINFO)
    expect(quiet).toMatchObject({ changed: false, affectedConfigRepos: [], tagsSeen: 3 })

    await scenario.pushTags(CI_TAGS)
    const moved = await handlers.scan(PODINFO)
    expect(moved).toMatchObject({ changed: true, affectedConfigRepos: [scenario.repoUrl], tagsSeen: 10 })

    const update = await handlers.update(scenario.repoUrl)
    expect(update.updates).toBe(3)
    expect(update.commit).toBe(await scenario.git.head(REPO, 'main'))
    expect(update.targets.find((target) => target.file === 'releases/stg/podinfo.yaml')?.next).toBe(
      `stefanprodan/podinfo:${EXPECTED_TAGS.stg}`,
    )
    expect(await handlers.scan(PODINFO)).toMatchObject({ changed: false, affectedConfigRepos: [] })
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/registry-cache\.json/)
  })

  // The update a scan asks for decides on that scan's tag list: the registry is not asked for it again.
  it('an update right after the scan that found a change lists no tags again', async () => {
    const fresh = await startScenario()
    try {
      const config = await loadConfig(fresh.configPath, {})
      const kinds: string[] = []
      const handlers = createPipelineHandlers(
        config,
        createClient(config, { onRequest: (event) => kinds.push(event.kind) }),
      )
      await handlers.discover()
      await fresh.pushTags(CI_TAGS)
      expect(await handlers.scan(PODINFO)).toMatchObject({ changed: true })
      expect(kinds).toContain('tags')
      kinds.length = 0
      const update = await handlers.update(fresh.repoUrl)
      expect(update.updates).toBe(3)
      expect(update.commit).toBe(await fresh.git.head(REPO, 'main'))
      expect(kinds).not.toContain('tags')
    } finally {
      await fresh.stop()
    }
  }, 60_000)
})
