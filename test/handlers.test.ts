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

  // The update builds on the head it pushed last without asking the git server; a human commit since then
  // makes its push a rejected one, and the run computes again on the new head (the human's lock holds).
  it('an update builds on the head it pushed without a fetch, and a human commit since is computed again', async () => {
    const { fresh, handlers } = await handlersAfterCiPush()
    try {
      await handlers.scan(PODINFO)
      expect((await handlers.update(fresh.repoUrl)).updates).toBe(3)

      await fresh.pushTags(['dev-after001'])
      expect(await handlers.scan(PODINFO)).toMatchObject({ changed: true })
      const asked = fresh.git.requests
      const quick = await handlers.update(fresh.repoUrl)
      expect(quick.commit).toBe(await fresh.git.head(REPO, 'main'))
      // The push's one request (the pack, on the head it pushed); no upload-pack or ref listing before it.
      expect(fresh.git.requests - asked).toBe(1)

      const stg = 'releases/stg/podinfo.yaml'
      const locked = (await fresh.git.readFile(REPO, 'main', stg)).replace(
        '    flux.weave.works/automated: "true"\n',
        '    flux.weave.works/automated: "true"\n    flux.weave.works/locked: "true"\n',
      )
      const human = await fresh.git.commit(REPO, 'main', { [stg]: locked }, { message: 'Lock stg' })
      await fresh.pushTags(['dev-after002', 'stg-after002'])
      expect(await handlers.scan(PODINFO)).toMatchObject({ changed: true })
      const recomputed = await handlers.update(fresh.repoUrl)
      expect(recomputed.errors).toEqual([])
      const log = await fresh.git.log(REPO, 'main')
      expect(log[0]!.oid).toBe(recomputed.commit)
      expect(log[0]!.parents).toEqual([human])
      expect(await fresh.git.readFile(REPO, 'main', stg)).toBe(locked)
      expect(await fresh.git.readFile(REPO, 'main', 'releases/dev/podinfo.yaml')).toContain(
        'tag: dev-after002 #',
      )
    } finally {
      await fresh.stop()
    }
  }, 60_000)

  // A webhook's confirming scan a second later lists the same tags: the update the first scan queued covers
  // them, so it is not queued again (it used to run a second, empty update the next push waited for).
  it('a scan of the same tags does not queue the same update again, unless that update failed', async () => {
    const { fresh, handlers } = await handlersAfterCiPush()
    try {
      const queued = { changed: true, affectedConfigRepos: [fresh.repoUrl] }
      expect(await handlers.scan(PODINFO)).toMatchObject(queued)
      expect(await handlers.scan(PODINFO)).toMatchObject({ changed: true, affectedConfigRepos: [] })

      await fresh.pushTags(['dev-later001'])
      expect(await handlers.scan(PODINFO)).toMatchObject(queued)

      fresh.git.failNextRequests(1, 503)
      await expect(handlers.update(fresh.repoUrl)).rejects.toThrow(/HTTP 503/)
      expect(await handlers.scan(PODINFO)).toMatchObject(queued)
      const done = await handlers.update(fresh.repoUrl)
      expect(done.commit).toBe(await fresh.git.head(REPO, 'main'))
    } finally {
      await fresh.stop()
    }
  }, 60_000)
})

/** Handlers on a scenario of their own that discovered the repository, after CI pushed its tags. */
async function handlersAfterCiPush() {
  const fresh = await startScenario()
  const config = await loadConfig(fresh.configPath, {})
  const handlers = createPipelineHandlers(config, createClient(config))
  await handlers.discover()
  await fresh.pushTags(CI_TAGS)
  return { fresh, handlers }
}
