// The status page in a real browser (Debian chromium driven by playwright-core) against a daemon on real
// servers (docker-registry, git smart HTTP): the rows after a push, the namespace filter, and a registry
// error shown first. Screenshots go to test-artifacts/ (ignored); IMAGEBOT_DOCS_SCREENSHOT=1 also writes
// docs/status-page.png, the one shown in the README.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/index.js'
import { startConfiguredDaemon } from '../workers/configured.js'
import type { Daemon } from '../workers/daemon.js'
import { createLogger } from '../workers/logger.js'
import { waitFor } from './support/daemon-helpers.js'
import { automatedDeployment, EXPECTED_TAGS } from './support/gitops-helm.js'
import { CI_TAGS, REPO, type Scenario, startScenario } from './support/scenario.js'

const ROOT = join(import.meta.dirname, '..')
const ARTIFACTS = join(ROOT, 'test-artifacts')
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
// An automated container whose image the registry does not have: its scan fails, and the page says so.
const MISSING = automatedDeployment('tools', 'tools', 'cli', 'acme/missing-tool:1.0.0')

let scenario: Scenario
let daemon: Daemon
let browser: Browser
let page: Page

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true })
  scenario = await startScenario({
    files: { 'releases/tools/missing.yaml': MISSING },
    tail: 'server: { listen: "127.0.0.1:0" }\nupdate: { coalesce: 0 }\nscan: { interval: 1h }\n',
  })
  const config = await loadConfig(scenario.configPath, {})
  daemon = await startConfiguredDaemon(config, { logger: createLogger({ level: 'silent' }) })
  // Start-up discovery, scans and the first update run: three podinfo releases decided.
  await waitFor(
    async () => (await daemon.status.snapshot()).configRepos[0]?.targets.length === 3,
    'the first update run',
    60_000,
  )
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await daemon?.close()
  await scenario?.stop()
})

const rowTexts = () => page.locator('tr.row').allInnerTexts()

describe('status page in chromium', () => {
  it('shows every container, the registry error first, and the push that follows', async () => {
    await page.goto(`${daemon.url}/`)
    expect(await page.title()).toBe('imagebot status')
    await waitFor(
      async () => {
        await page.reload()
        return (await page.locator('tr.row[data-state="error"]').count()) === 1
      },
      'the failed scan on the page',
      30_000,
    )
    const first = page.locator('tr.row').first()
    expect(await first.getAttribute('data-state')).toBe('error')
    expect(await first.textContent()).toContain('docker.io/acme/missing-tool')
    expect(await page.locator('section.repo').textContent()).toContain(scenario.repoUrl)
    await page.screenshot({ path: join(ARTIFACTS, 'status-before-push.png'), fullPage: true })

    await scenario.pushTags(CI_TAGS)
    const reconciled = await fetch(`${daemon.url}/api/reconcile`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    expect(reconciled.status).toBe(200)
    const log = await waitFor(
      async () => {
        const file = await scenario.git.readFile(REPO, 'main', 'releases/stg/podinfo.yaml')
        return file.includes(`tag: ${EXPECTED_TAGS.stg} #`) ? await scenario.git.log(REPO, 'main') : undefined
      },
      'the bot commit',
      60_000,
    )
    await waitFor(
      async () => {
        await page.reload()
        return (await rowTexts()).join('\n').includes(EXPECTED_TAGS.prod)
      },
      'the new tags on the page',
      30_000,
    )
    const rows = (await rowTexts()).join('\n')
    for (const tag of Object.values(EXPECTED_TAGS)) expect(rows).toContain(tag)
    expect(await page.locator('section.repo code').textContent()).toBe(log[0]!.oid.slice(0, 8))
    expect(await page.locator('tr.row[data-state="ok"]').count()).toBe(3)
    await page.screenshot({ path: join(ARTIFACTS, 'status-after-push.png'), fullPage: true })
    if (process.env.IMAGEBOT_DOCS_SCREENSHOT === '1')
      await page.screenshot({ path: join(ROOT, 'docs', 'status-page.png'), fullPage: true })
  }, 120_000) // a push, a scan and a commit on real servers, on a machine that may be busy

  it('filters by namespace and by state through the form', async () => {
    await page.goto(`${daemon.url}/`)
    await page.selectOption('select[name="namespace"]', 'stg')
    await page.waitForURL(/namespace=stg/)
    const stg = await rowTexts()
    expect(stg).toHaveLength(1)
    expect(stg[0]).toContain('stg:helmrelease/podinfo-stg')
    expect(await page.locator('#matching').textContent()).toBe('1 of 4 containers match')

    await page.goto(`${daemon.url}/`)
    await page.selectOption('select[name="state"]', 'error')
    await page.waitForURL(/state=error/)
    expect(await page.locator('tr.row').count()).toBe(1)
    expect(await page.locator('tr.row td[data-label="decision"]').textContent()).toContain('registry:')
  })

  it('reads on a phone: one card per row, no sideways scrolling', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } })
    await phone.goto(`${daemon.url}/`)
    const overflow = await phone.evaluate('document.documentElement.scrollWidth - window.innerWidth')
    expect(Number(overflow)).toBeLessThanOrEqual(0)
    expect(await phone.locator('table.rows thead').isVisible()).toBe(false)
    await phone.screenshot({ path: join(ARTIFACTS, 'status-phone.png'), fullPage: true })
    await phone.close()
  })
})
