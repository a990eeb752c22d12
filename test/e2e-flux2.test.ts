// A Flux v2 repository (flux2-kustomize-helm-example layout, objects committed in it) against the real
// registry and git server: once makes one commit that changes only the marked scalars, a second run changes
// nothing, and the daemon lands a new tag from the registry's webhook.
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/index.js'
import { createClient } from '../src/run/observer.js'
import { runCycle } from '../src/run/once.js'
import { startConfiguredDaemon } from '../workers/configured.js'
import { createLogger } from '../workers/logger.js'
import { waitFor } from './support/daemon-helpers.js'
import { flux2Files, PRODUCTION_VALUES, STAGING_VALUES } from './support/flux2-repo.js'
import { gitopsHelmFiles, PODINFO } from './support/gitops-helm.js'
import { BOT, freePort, REPO, type Scenario, startScenario } from './support/scenario.js'

const stops: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop()
})

const SECRET = 'flux2-webhook-secret-0123456789'

/** The scenario's registry and git server, with the Flux v2 repo instead of the gitops-helm one. */
async function start(tail = '', notifications?: { url: string; headers: Record<string, string> }) {
  const removed = Object.fromEntries(Object.keys(gitopsHelmFiles()).map((path) => [path, null]))
  const scenario = await startScenario({ files: removed, tail, ...(notifications && { notifications }) })
  stops.push(() => scenario.stop())
  const files = flux2Files(scenario.repoUrl)
  await scenario.git.commit(REPO, 'main', files, { message: 'Flux v2 layout' })
  await scenario.pushTags(['0.4.11', '0.4.12', '0.5.0-rc.1'])
  return { scenario, files }
}

async function digestOf(scenario: Scenario, tag: string): Promise<string> {
  const response = await fetch(`${scenario.registry.url}/v2/${PODINFO}/manifests/${tag}`, {
    method: 'HEAD',
    headers: {
      Accept:
        'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
    },
  })
  return response.headers.get('docker-content-digest')!
}

async function once(scenario: Scenario) {
  const config = await loadConfig(scenario.configPath, {})
  return runCycle(config, createClient(config))
}

describe('imagebot on a Flux v2 repository', () => {
  it('once commits only the marked scalars, with the automation template; a second run changes nothing', async () => {
    const { scenario, files } = await start()
    const before = await scenario.git.log(REPO, 'main')
    const digest = await digestOf(scenario, '0.4.12')

    const first = (await once(scenario)).report.repositories[0]!
    expect(first.errors.filter((error) => !error.severity)).toEqual([])
    expect(first.updates.map((u) => [u.file, u.workload, u.next, u.policy])).toEqual([
      [
        PRODUCTION_VALUES,
        'podinfo:helmrelease/podinfo',
        `${PODINFO}:0.4.12@${digest}`,
        'flux:flux-system/podinfo-production',
      ],
      [
        STAGING_VALUES,
        'podinfo:helmrelease/podinfo',
        `${PODINFO}:0.4.12`,
        'flux:flux-system/podinfo-staging',
      ],
    ])
    // The unmarked sidecar tag in the production patch is reported, not left silently.
    expect(first.skipped.map((s) => [s.file, s.container])).toEqual([
      [PRODUCTION_VALUES, 'spec.values.sidecar.tag'],
    ])

    const log = await scenario.git.log(REPO, 'main')
    expect(log).toHaveLength(before.length + 1)
    const commit = log[0]!
    // imagebot.yaml names the author, so it wins over the automation's fluxcdbot.
    expect(commit.authorName).toBe(BOT.name)
    // As text/template does, `{{ end -}}` eats the blank line before "Changes:".
    expect(commit.message).toContain(`Automated image update

Automation name: flux-system/apps

Files:
- ${PRODUCTION_VALUES}
- ${STAGING_VALUES}
Changes:
- ${PODINFO}:0.4.10 -> ${PODINFO}:0.4.12@${digest} (flux-system:podinfo-production)
- 0.4.10 -> 0.4.12 (flux-system:podinfo-staging:tag)
`)
    expect(await scenario.git.readFile(REPO, 'main', STAGING_VALUES)).toBe(
      files[STAGING_VALUES]!.replace('tag: "0.4.10"', 'tag: "0.4.12"'),
    )
    expect(await scenario.git.readFile(REPO, 'main', PRODUCTION_VALUES)).toBe(
      files[PRODUCTION_VALUES]!.replace(`${PODINFO}:0.4.10 #`, `${PODINFO}:0.4.12@${digest} #`),
    )
    for (const path of Object.keys(files).filter((p) => p !== STAGING_VALUES && p !== PRODUCTION_VALUES)) {
      expect(await scenario.git.readFile(REPO, 'main', path)).toBe(files[path])
    }

    const second = (await once(scenario)).report.repositories[0]!
    expect(second.commit).toBeUndefined()
    expect(second.updates).toEqual([])
    expect(await scenario.git.log(REPO, 'main')).toHaveLength(before.length + 1)
  })

  it('the daemon lands a new tag from the registry webhook', { timeout: 120_000 }, async () => {
    const port = await freePort()
    const { scenario } = await start(
      `server: { listen: "127.0.0.1:${port}" }
webhooks: [{ type: distribution, secret: ${SECRET} }]
update: { coalesce: 0 }
scan: { interval: 1h }
`,
      { url: `http://127.0.0.1:${port}/hooks/distribution`, headers: { Authorization: `Bearer ${SECRET}` } },
    )
    const config = await loadConfig(scenario.configPath, {})
    const daemon = await startConfiguredDaemon(config, { logger: createLogger({ level: 'silent' }) })
    stops.push(() => daemon.close())
    await waitFor(async () => (await fetch(`${daemon.url}/readyz`)).ok, 'readiness')
    await waitFor(
      async () => (await scenario.git.readFile(REPO, 'main', STAGING_VALUES)).includes('tag: "0.4.12"'),
      'the start-up update',
      40_000,
    )
    await scenario.pushTags(['0.4.13'])
    const landed = await waitFor(
      async () => {
        const text = await scenario.git.readFile(REPO, 'main', STAGING_VALUES)
        return text.includes('tag: "0.4.13"') ? text : undefined
      },
      'the webhook commit',
      40_000,
    )
    expect(landed).toContain('tag: "0.4.13"   # {"$imagepolicy": "flux-system:podinfo-staging:tag"}')
    const digest = await digestOf(scenario, '0.4.13')
    await waitFor(
      async () => (await scenario.git.readFile(REPO, 'main', PRODUCTION_VALUES)).includes(`0.4.13@${digest}`),
      'production pinned by digest',
      40_000,
    )
  })
})
