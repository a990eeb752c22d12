// The users'-guide scenario on real servers: a docker-registry holding podinfo images, a smart-HTTP git
// server holding the gitops-helm config repo, and an imagebot.yaml pointing at both. Shared by the
// end-to-end tests, the demo and the pipeline benchmark; no vitest imports.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { type AddressInfo, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Handler, startFront } from './fronts.js'
import { GitTestServer } from './git-server.js'
import { CI_TAGS, gitopsHelmFiles, PODINFO, SEED_TAGS } from './gitops-helm.js'
import { pushImage } from './push-image.js'
import { startRegistry, type TestRegistry } from './registry.js'

export const BOT = { name: 'imagebot', email: 'imagebot@example.test' }
export const REPO = 'gitops'

export interface Scenario {
  registry: TestRegistry
  git: GitTestServer
  /** Folder holding imagebot.yaml and the state dir. */
  dir: string
  configPath: string
  repoUrl: string
  /** Pushes podinfo tags with build times one minute apart, continuing after earlier pushes. */
  pushTags(tags: string[]): Promise<void>
  stop(): Promise<void>
}

export interface ScenarioOptions {
  /** Extra files for the config repo (path → text, null removes a seeded file). */
  files?: Record<string, string | null>
  /** Extra YAML appended under `registries:` in imagebot.yaml. */
  extraRegistries?: string
  /** YAML appended to imagebot.yaml (`server`, `webhooks`, `update`, `redis`), for daemon tests. */
  tail?: string
  /** The registry POSTs its push notifications here (distribution webhook). */
  notifications?: { url: string; headers?: Record<string, string> }
  /** Handlers of a front the bot reaches the registry through (to slow or fail requests). */
  front?: Handler[]
}

let clock = Date.parse('2024-02-01T00:00:00Z')

export async function startScenario(options: ScenarioOptions = {}): Promise<Scenario> {
  const registry = await startRegistry(options.notifications ? { notifications: options.notifications } : {})
  const git = await GitTestServer.start()
  const dir = await mkdtemp(join(tmpdir(), 'imagebot-scenario-'))
  const files: Record<string, string> = { ...gitopsHelmFiles() }
  for (const [path, text] of Object.entries(options.files ?? {})) {
    if (text === null) delete files[path]
    else files[path] = text
  }
  await git.createBareRepo(REPO, files)
  const front = options.front ? await startFront(registry.url, ...options.front) : undefined
  const repoUrl = git.repoUrl(REPO)
  const configPath = join(dir, 'imagebot.yaml')
  await writeFile(
    configPath,
    `repositories:
  - url: ${repoUrl}
    branch: main
    commit:
      author: { name: ${BOT.name}, email: ${BOT.email} }
registries:
  - host: docker.io
    endpoint: ${front?.url ?? registry.url}
${options.extraRegistries ?? ''}stateDir: state
${options.tail ?? ''}`,
  )
  const scenario: Scenario = {
    registry,
    git,
    dir,
    configPath,
    repoUrl,
    async pushTags(tags) {
      for (const tag of tags) {
        clock += 60_000
        await pushImage(registry.url, PODINFO, tag, { created: new Date(clock).toISOString() })
      }
    },
    async stop() {
      await Promise.allSettled([registry.stop(), git.close(), front?.stop()])
      await rm(dir, { recursive: true, force: true })
    },
  }
  await scenario.pushTags(SEED_TAGS)
  return scenario
}

export { CI_TAGS }

/** A loopback port that was free a moment ago, for servers whose address must be known before they start. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

const WEBHOOK_SECRET = 'scenario-webhook-secret-0123456789'

/**
 * The scenario for the daemon: the registry's push notifications go to the daemon's distribution webhook on a
 * port chosen up front, updates are not coalesced, and scheduled scans are out of the way (1 h).
 */
export async function startWebhookScenario(redisUrl?: string): Promise<Scenario> {
  const port = await freePort()
  return startScenario({
    notifications: {
      url: `http://127.0.0.1:${port}/hooks/distribution`,
      headers: { Authorization: `Bearer ${WEBHOOK_SECRET}` },
    },
    tail: `server: { listen: "127.0.0.1:${port}" }
webhooks: [{ type: distribution, secret: ${WEBHOOK_SECRET} }]
update: { coalesce: 0 }
scan: { interval: 1h }
${redisUrl ? `redis: { url: "${redisUrl}" }\n` : ''}`,
  })
}
