// Webhook to pushed commit on real components: the registry's own push notification reaches the daemon,
// which scans, decides, rewrites, commits and pushes, in embedded mode and on a real Redis.
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/index.js'
import { startConfiguredDaemon } from '../workers/configured.js'
import type { Daemon } from '../workers/daemon.js'
import { createLogger } from '../workers/logger.js'
import { waitFor } from './support/daemon-helpers.js'
import { EXPECTED_TAGS } from './support/gitops-helm.js'
import { startRedis } from './support/redis.js'
import { BOT, CI_TAGS, REPO, type Scenario, startWebhookScenario } from './support/scenario.js'

const stops: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop()
})

async function startWithWebhook(redisUrl?: string): Promise<{ scenario: Scenario; daemon: Daemon }> {
  const scenario = await startWebhookScenario(redisUrl)
  stops.push(() => scenario.stop())
  const config = await loadConfig(scenario.configPath, {})
  const daemon = await startConfiguredDaemon(config, { logger: createLogger({ level: 'silent' }) })
  stops.push(() => daemon.close())
  // Start-up discovery updates the repo once; wait until it is ready and settled before CI pushes.
  await waitFor(async () => (await fetch(`${daemon.url}/readyz`)).ok, 'readiness')
  return { scenario, daemon }
}

async function expectWebhookToCommit(scenario: Scenario): Promise<void> {
  const before = await scenario.git.log(REPO, 'main')
  await scenario.pushTags(CI_TAGS)
  const log = await waitFor(
    async () => {
      // The file first: a log read before it could miss the commit that brought the tag.
      const file = await scenario.git.readFile(REPO, 'main', 'releases/stg/podinfo.yaml')
      return file.includes(`tag: ${EXPECTED_TAGS.stg} #`) ? await scenario.git.log(REPO, 'main') : undefined
    },
    'the bot commit',
    15_000,
  )
  expect(log[0]!.authorName).toBe(BOT.name)
  expect(log.length).toBeGreaterThan(before.length)
  expect(await scenario.git.readFile(REPO, 'main', 'releases/dev/podinfo.yaml')).toContain(
    `tag: ${EXPECTED_TAGS.dev} #`,
  )
  // Every bot commit changes something: no empty or repeated commits.
  const botCommits = log.slice(0, log.length - before.length)
  expect(new Set(botCommits.map((entry) => entry.oid)).size).toBe(botCommits.length)
}

describe('registry push → webhook → pushed commit', () => {
  it('works in the embedded mode', async () => {
    const { scenario } = await startWithWebhook()
    await expectWebhookToCommit(scenario)
  })

  it('works on Redis (BullMQ)', async () => {
    const redis = await startRedis()
    stops.push(() => redis.stop())
    const { scenario } = await startWithWebhook(redis.url)
    await expectWebhookToCommit(scenario)
  })
})
