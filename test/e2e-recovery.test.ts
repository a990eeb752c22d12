// Recovery on the real pipeline: a worker process is killed with SIGKILL in the middle of an update and Redis
// is restarted; a new worker takes the update over and the image lands in exactly one commit.
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/index.js'
import { signSha256 } from '../src/server/webhooks/auth.js'
import { startConfiguredDaemon } from '../workers/configured.js'
import { createLogger } from '../workers/logger.js'
import { waitFor } from './support/daemon-helpers.js'
import { type DaemonProcess, spawnDaemonProcess } from './support/daemon-process.js'
import { EXPECTED_TAGS } from './support/gitops-helm.js'
import { startRedis } from './support/redis.js'
import { BOT, CI_TAGS, freePort, REPO, startScenario } from './support/scenario.js'

const SECRET = 'recovery-webhook-secret-0123456789'
const WORKER = new URL('./support/pipeline-worker.ts', import.meta.url).pathname
const stops: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop()
})

describe('crash recovery on the real pipeline', () => {
  it('lands the image exactly once after kill -9 of the worker mid-update and a Redis restart', async () => {
    const redis = await startRedis({ appendonly: true })
    stops.push(() => redis.stop())
    const port = await freePort()
    const scenario = await startScenario({
      tail: `server: { listen: "127.0.0.1:${port}" }
webhooks: [{ type: generic, secret: ${SECRET} }]
update: { coalesce: 0 }
scan: { interval: 1h }
redis: { url: "${redis.url}" }
`,
    })
    stops.push(() => scenario.stop())
    const config = await loadConfig(scenario.configPath, {})
    const logger = createLogger({ level: 'silent' })
    const web = await startConfiguredDaemon(config, {
      role: 'scheduler',
      listen: `127.0.0.1:${port}`,
      logger,
    })
    stops.push(() => web.close())
    let worker: DaemonProcess = await spawnDaemonProcess({ CONFIG: scenario.configPath }, WORKER)
    stops.push(() => worker.stop('SIGKILL'))
    await waitFor(async () => (await fetch(`${web.url}/readyz`)).ok, 'readiness')
    await waitFor(async () => {
      const status = (await (await fetch(`${web.url}/status`)).json()) as { configRepos: unknown[] }
      return status.configRepos.length > 0
    }, 'the start-up update')
    const before = await scenario.git.log(REPO, 'main')

    await scenario.pushTags(CI_TAGS)
    // Every git request now waits 2 s: long enough to kill the worker inside its update, before its push lands.
    scenario.git.holdRequestsMs = 2000
    const gitRequests = scenario.git.requests
    const body = JSON.stringify({ repository: 'docker.io/stefanprodan/podinfo' })
    const hook = await fetch(`${web.url}/hooks/generic`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': signSha256(body, SECRET) },
      body,
    })
    expect(hook.status).toBe(202)
    // The update has decided and committed when the worker first asks the git server (to push, as it builds
    // on the head it pushed moments ago, or to sync); that request is held for 2 s.
    await waitFor(() => scenario.git.requests > gitRequests, 'the update to reach the git server')
    await new Promise((resolve) => setTimeout(resolve, 500))
    await worker.stop('SIGKILL')
    expect(await scenario.git.log(REPO, 'main')).toHaveLength(before.length)
    await redis.restart()
    scenario.git.holdRequestsMs = 0
    worker = await spawnDaemonProcess({ CONFIG: scenario.configPath }, WORKER)

    await waitFor(
      async () => {
        const file = await scenario.git.readFile(REPO, 'main', 'releases/stg/podinfo.yaml')
        return file.includes(`tag: ${EXPECTED_TAGS.stg} #`)
      },
      'the bot commit',
      30_000,
    )
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const after = await scenario.git.log(REPO, 'main')
    const botCommits = after.slice(0, after.length - before.length)
    expect(botCommits.map((commit) => commit.authorName)).toEqual([BOT.name])
    expect(await scenario.git.readFile(REPO, 'main', 'releases/dev/podinfo.yaml')).toContain(
      `tag: ${EXPECTED_TAGS.dev} #`,
    )
    expect(await scenario.git.readFile(REPO, 'main', 'releases/prod/podinfo.yaml')).toContain(
      `tag: ${EXPECTED_TAGS.prod} #`,
    )
  }, 90_000)
})
