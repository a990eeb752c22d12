// A daemon that never looks healthier than it is, on real components (issue 10 §3): one config repository
// the daemon cannot read and one image the registry does not have. The readable repository is updated and
// counts as a success (partial: one image failed), the unreadable one is listed in /status with its error and
// imagebot_config_repo_up 0, the failing image has imagebot_image_error 1, and /readyz stays 200 so webhooks
// for the other repositories keep arriving.
import { readFile, writeFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/index.js'
import type { StatusSnapshot } from '../src/server/status.js'
import { startConfiguredDaemon } from '../workers/configured.js'
import type { Daemon } from '../workers/daemon.js'
import { createLogger } from '../workers/logger.js'
import { waitFor } from './support/daemon-helpers.js'
import { automatedDeployment, EXPECTED_TAGS } from './support/gitops-helm.js'
import { CI_TAGS, REPO, type Scenario, startScenario } from './support/scenario.js'

const MISSING_IMAGE = automatedDeployment('ghost', 'dev', 'ghost', 'example/never-pushed:1.0.0')

let scenario: Scenario
let daemon: Daemon
let unreadable: string
beforeAll(async () => {
  scenario = await startScenario({
    files: { 'releases/dev/ghost.yaml': MISSING_IMAGE },
    tail: 'update: { coalesce: 0 }\nscan: { interval: 1h }\n',
  })
  await scenario.pushTags(CI_TAGS)
  unreadable = scenario.git.repoUrl('does-not-exist')
  const text = await readFile(scenario.configPath, 'utf8')
  await writeFile(
    scenario.configPath,
    text.replace('registries:', `  - url: ${unreadable}\n    branch: main\nregistries:`),
  )
  const config = await loadConfig(scenario.configPath, {})
  daemon = await startConfiguredDaemon(config, {
    listen: '127.0.0.1:0',
    logger: createLogger({ level: 'silent' }),
  })
}, 60_000)
afterAll(async () => {
  await daemon?.close()
  await scenario?.stop()
})

const metricLines = async () => (await (await fetch(`${daemon.url}/metrics`)).text()).split('\n')

describe('daemon health with one unreadable repository and one missing image', () => {
  it('updates the readable repository and counts the run as partial, a success for last_success', async () => {
    await waitFor(
      async () =>
        (await scenario.git.readFile(REPO, 'main', 'releases/dev/podinfo.yaml')).includes(
          `tag: ${EXPECTED_TAGS.dev} #`,
        ),
      'the bot commit',
      30_000,
    )
    const good = `repository="${scenario.repoUrl}"`
    const lines = await waitFor(async () => {
      const all = await metricLines()
      return all.some((line) => line.startsWith(`imagebot_updates_total{${good},result="partial"}`))
        ? all
        : undefined
    }, 'a partial update counted')
    expect(lines.find((line) => line.startsWith(`imagebot_last_success_timestamp_seconds{${good}}`))).toMatch(
      / \d{10}/,
    )
    expect(lines).toContain(`imagebot_config_repo_up{${good}} 1`)
  })

  it('shows the unreadable repository in /status and imagebot_config_repo_up 0; /readyz stays 200', async () => {
    const snapshot = await waitFor(async () => {
      const status = (await (await fetch(`${daemon.url}/status`)).json()) as StatusSnapshot
      return status.configRepos.find((repo) => repo.configRepo === unreadable)?.sync ? status : undefined
    }, 'the unreadable repository in /status')
    const listed = snapshot.configRepos.find((repo) => repo.configRepo === unreadable)
    expect(listed?.sync?.ok).toBe(false)
    expect(listed?.sync?.error).toMatch(/does-not-exist/)
    expect(listed?.errors).toEqual([listed?.sync?.error])
    expect(await metricLines()).toContain(`imagebot_config_repo_up{repository="${unreadable}"} 0`)
    expect((await fetch(`${daemon.url}/readyz`)).status).toBe(200)
  })

  it('names the failing image in imagebot_image_error', async () => {
    const lines = await waitFor(async () => {
      const all = await metricLines()
      return all.some((line) =>
        line.startsWith('imagebot_image_error{image="docker.io/example/never-pushed"}'),
      )
        ? all
        : undefined
    }, 'the image error gauge')
    expect(lines).toContain('imagebot_image_error{image="docker.io/example/never-pushed"} 1')
    expect(lines).toContain('imagebot_image_error{image="docker.io/stefanprodan/podinfo"} 0')
  })
})
