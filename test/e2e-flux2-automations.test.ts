// ImageUpdateAutomation branches, several automations for one repository and objects read from the whole
// checkout, against the real registry and git http-backend. The precedence cases follow Flux's
// image-automation-controller tests: internal/source/git_test.go Test_buildGitConfig ("different branch,
// gitSpec checkoutRef", "different branch, gitrepo checkoutRef", "gitSpec override gitRepo checkout
// config") and internal/source/source_test.go TestSourceManager_CommitAndPush ("push to different branch",
// "push to cloned branch+refspec", "push to branch from tag"). Unlike the controller, imagebot never
// force-pushes.
import { writeFile } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/index.js'
import { createClient } from '../src/run/observer.js'
import { runCycle } from '../src/run/once.js'
import {
  type AutomationSpec,
  laneFiles,
  OBJECTS_FILE,
  PRODUCTION_FILE,
  STAGING_FILE,
} from './support/flux2-lanes.js'
import { gitopsHelmFiles, PODINFO } from './support/gitops-helm.js'
import { REPO, type Scenario, startScenario } from './support/scenario.js'

const stops: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop()
})

const ALICE = { name: 'Alice Staging', email: 'alice@example.test' }
const BOB = { name: 'Bob Production', email: 'bob@example.test' }
const V1_RELEASE = 'releases/prod/podinfo.yaml'

/** The scenario's servers with the lane repo on main; `repository` is the YAML under `- url:`. */
async function start(
  automations: AutomationSpec[],
  repository = '',
  options: { keepV1?: boolean } = {},
): Promise<{ scenario: Scenario; mainHead: string }> {
  const removed = Object.fromEntries(
    Object.keys(gitopsHelmFiles())
      .filter((path) => !(options.keepV1 && path === V1_RELEASE))
      .map((path) => [path, null]),
  )
  const scenario = await startScenario({ files: removed })
  stops.push(() => scenario.stop())
  const mainHead = await scenario.git.commit(REPO, 'main', laneFiles(scenario.repoUrl, automations), {
    message: 'Flux v2 objects',
  })
  await scenario.pushTags(['0.4.11', '0.4.12', '0.5.0'])
  await writeFile(
    scenario.configPath,
    `repositories:
  - url: ${scenario.repoUrl}
${repository}registries:
  - host: docker.io
    endpoint: ${scenario.registry.url}
stateDir: state
`,
  )
  return { scenario, mainHead }
}

async function once(scenario: Scenario) {
  const config = await loadConfig(scenario.configPath, {})
  const cycle = await runCycle(config, createClient(config))
  return { report: cycle.report.repositories[0]!, run: cycle.runs[0]! }
}

/** The paths a commit changed. */
async function changedFiles(scenario: Scenario, commit: string): Promise<string[]> {
  const out = await scenario.git.git(REPO, ['diff-tree', '--no-commit-id', '--name-only', '-r', commit])
  return out.trim().split('\n').filter(Boolean).sort()
}

const staged = (text: string) => text.includes(`${PODINFO}:0.5.0 #`)
const produced = (text: string) => text.includes(`${PODINFO}:0.4.12 #`)

describe('ImageUpdateAutomation branches', () => {
  it('branches set in imagebot.yaml win; the automation that names others is warned about', async () => {
    const { scenario, mainHead } = await start(
      [{ name: 'apps', path: './apps', checkoutBranch: 'main', pushBranch: 'image-updates' }],
      '    branch: main\n    pushBranch: main\n',
    )
    const { report } = await once(scenario)
    expect(report.errors.filter((error) => !error.severity)).toEqual([])
    expect(report.errors.map((error) => error.message)).toContainEqual(
      expect.stringContaining(
        'pushes to image-updates, imagebot pushes to main as imagebot.yaml says; remove repositories[].pushBranch',
      ),
    )
    expect(await scenario.git.head(REPO, 'image-updates')).toBeUndefined()
    const log = await scenario.git.log(REPO, 'main')
    expect(log[1]!.oid).toBe(mainHead)
    expect(staged(await scenario.git.readFile(REPO, 'main', STAGING_FILE))).toBe(true)
  })

  it('without branches in imagebot.yaml the automation decides: a missing push branch is created from the checkout branch', async () => {
    const { scenario, mainHead } = await start([
      { name: 'apps', path: './apps', pushBranch: 'image-updates' },
    ])
    const { report, run } = await once(scenario)
    expect(report.errors).toEqual([])
    expect(await scenario.git.head(REPO, 'main')).toBe(mainHead)
    const log = await scenario.git.log(REPO, 'image-updates')
    expect(log[0]!.parents).toEqual([mainHead])
    expect(log[0]!.authorName).toBe('fluxcdbot')
    expect(run.pushes).toEqual([{ branch: 'image-updates', commit: log[0]!.oid }])
    expect(staged(await scenario.git.readFile(REPO, 'image-updates', STAGING_FILE))).toBe(true)
    expect(produced(await scenario.git.readFile(REPO, 'image-updates', PRODUCTION_FILE))).toBe(true)

    // The push branch is read on the next run: its files are up to date, so nothing more is committed.
    const second = await once(scenario)
    expect(second.run.pushes).toEqual([])
    expect(await scenario.git.head(REPO, 'image-updates')).toBe(log[0]!.oid)
  })

  it('an existing push branch is built on at its tip and fast-forwarded, never forced', async () => {
    const { scenario, mainHead } = await start([
      { name: 'apps', path: './apps', pushBranch: 'image-updates' },
    ])
    await scenario.git.git(REPO, ['branch', 'image-updates', mainHead])
    const human = await scenario.git.commit(REPO, 'image-updates', { 'NOTES.md': 'review me\n' })
    await once(scenario)
    const log = await scenario.git.log(REPO, 'image-updates')
    expect(log[0]!.parents).toEqual([human])
    expect(await scenario.git.readFile(REPO, 'image-updates', 'NOTES.md')).toBe('review me\n')
    expect(await changedFiles(scenario, log[0]!.oid)).toEqual([PRODUCTION_FILE, STAGING_FILE])
    expect(await scenario.git.head(REPO, 'main')).toBe(mainHead)
  })

  it("opens the automation's checkout branch, reads it again and pushes there (its GitRepository's branch otherwise)", async () => {
    const { scenario, mainHead } = await start([{ name: 'apps', path: './apps', checkoutBranch: 'staging' }])
    await scenario.git.git(REPO, ['branch', 'staging', mainHead])
    // Only the staging branch holds this file: a commit on it proves the branch itself was read.
    const stagingText = (await scenario.git.readFile(REPO, 'main', STAGING_FILE)).replace(
      'kind: Deployment',
      'kind: Deployment # staging only',
    )
    const human = await scenario.git.commit(REPO, 'staging', { [STAGING_FILE]: stagingText })
    const { report } = await once(scenario)
    expect(report.errors).toEqual([])
    expect(await scenario.git.head(REPO, 'main')).toBe(mainHead)
    const log = await scenario.git.log(REPO, 'staging')
    expect(log[0]!.parents).toEqual([human])
    const after = await scenario.git.readFile(REPO, 'staging', STAGING_FILE)
    expect(after).toBe(stagingText.replace(`${PODINFO}:0.4.10 #`, `${PODINFO}:0.5.0 #`))
  })

  it('reports checkout.ref.tag and push.refspec with what to set, and pushes to the branch instead', async () => {
    const { scenario, mainHead } = await start([
      {
        name: 'apps',
        path: './apps',
        gitExtra: '    push:\n      refspec: refs/heads/main:refs/heads/smth/else\n',
      },
      { name: 'tagged', path: './clusters', gitExtra: '    checkout:\n      ref:\n        tag: v1.0.0\n' },
    ])
    const { report } = await once(scenario)
    const flux = report.errors.filter((error) => error.message.includes(': ImageUpdateAutomation '))
    expect(flux.map((error) => [error.severity, error.file])).toEqual([
      ['warning', OBJECTS_FILE],
      ['warning', OBJECTS_FILE],
    ])
    expect(flux.map((error) => error.message)).toEqual([
      expect.stringMatching(
        /ImageUpdateAutomation flux-system\/apps: spec\.git\.push\.refspec is not supported; .*set spec\.git\.push\.branch, or repositories\[\]\.pushBranch in imagebot\.yaml/,
      ),
      expect.stringMatching(
        /ImageUpdateAutomation flux-system\/tagged: spec\.git\.checkout\.ref\.tag is not supported .*set spec\.git\.checkout\.ref\.branch, or repositories\[\]\.branch in imagebot\.yaml/,
      ),
    ])
    expect(await scenario.git.head(REPO, 'smth/else')).toBeUndefined()
    expect((await scenario.git.log(REPO, 'main'))[1]!.oid).toBe(mainHead)
  })
})

describe('several ImageUpdateAutomations for one repository', () => {
  it("commits each automation's targets with its own author and message, in one push; Flux v1 targets keep imagebot.yaml's", async () => {
    const { scenario, mainHead } = await start(
      [
        // Covers both files, but the deeper update.paths own them: it commits nothing.
        { name: 'apps', path: './apps' },
        { name: 'production', path: './apps/production', author: BOB },
        {
          name: 'staging',
          path: './apps/staging',
          author: ALICE,
          messageTemplate: 'staging: {{ .AutomationObject }}',
        },
      ],
      '',
      { keepV1: true },
    )
    const { report, run } = await once(scenario)
    expect(report.errors).toEqual([])
    const log = await scenario.git.log(REPO, 'main')
    const [staging, production, v1] = log
    expect(log[3]!.oid).toBe(mainHead)
    expect(run.pushes).toEqual([{ branch: 'main', commit: staging!.oid }])
    expect([v1!.authorName, production!.authorName, staging!.authorName]).toEqual([
      'imagebot',
      BOB.name,
      ALICE.name,
    ])
    expect(staging!.subject).toBe('staging: flux-system/staging')
    expect(await changedFiles(scenario, staging!.oid)).toEqual([STAGING_FILE])
    expect(await changedFiles(scenario, production!.oid)).toEqual([PRODUCTION_FILE])
    expect(await changedFiles(scenario, v1!.oid)).toEqual([V1_RELEASE])
  })

  it('automations with their own push branches push separately', async () => {
    const { scenario, mainHead } = await start([
      { name: 'production', path: './apps/production', author: BOB },
      { name: 'staging', path: './apps/staging', author: ALICE, pushBranch: 'staging-updates' },
    ])
    const { report, run } = await once(scenario)
    expect(report.errors).toEqual([])
    const main = await scenario.git.log(REPO, 'main')
    const updates = await scenario.git.log(REPO, 'staging-updates')
    expect(main[1]!.oid).toBe(mainHead)
    // The first lane pushed to main before the second read it: the push branch starts from main's new head.
    expect(updates[0]!.parents).toEqual([main[0]!.oid])
    expect(run.pushes).toEqual([
      { branch: 'main', commit: main[0]!.oid },
      { branch: 'staging-updates', commit: updates[0]!.oid },
    ])
    // The report (once --json) names every push; `commit` is the last.
    expect(report.pushes).toEqual(run.pushes)
    expect(report.commit).toBe(updates[0]!.oid)
    expect(await changedFiles(scenario, main[0]!.oid)).toEqual([PRODUCTION_FILE])
    expect(await changedFiles(scenario, updates[0]!.oid)).toEqual([STAGING_FILE])
    expect(updates[0]!.authorName).toBe(ALICE.name)
  })
})

describe('an ImageUpdateAutomation whose messageTemplate cannot be rendered', () => {
  it('commits nothing of its own, while the other automations still commit', async () => {
    const { scenario, mainHead } = await start([
      { name: 'production', path: './apps/production', author: BOB },
      { name: 'staging', path: './apps/staging', messageTemplate: '{{ template "x" }}' },
    ])
    const { report } = await once(scenario)
    expect(report.errors.filter((error) => !error.severity).map((error) => error.message)).toEqual([
      expect.stringContaining('ImageUpdateAutomation flux-system/staging'),
      expect.stringContaining(
        'ImageUpdateAutomation flux-system/staging (clusters/staging/flux-system/images.yaml): no commit is made',
      ),
    ])
    const log = await scenario.git.log(REPO, 'main')
    expect(log[1]!.oid).toBe(mainHead)
    expect(await changedFiles(scenario, log[0]!.oid)).toEqual([PRODUCTION_FILE])
    expect(report.updates.map((update) => update.file)).toEqual([PRODUCTION_FILE])
  })
})

describe('an ImageUpdateAutomation of another repository', () => {
  it('does not write here: its markers are reported, not updated', async () => {
    const { scenario, mainHead } = await start([{ name: 'apps', path: './apps' }])
    const objects = await scenario.git.readFile(REPO, 'main', OBJECTS_FILE)
    const moved = objects.replace(`url: ${scenario.repoUrl}`, 'url: https://git.example.test/acme/other.git')
    const head = await scenario.git.commit(REPO, 'main', { [OBJECTS_FILE]: moved })
    expect(head).not.toBe(mainHead)
    const { report, run } = await once(scenario)
    expect(run.pushes).toEqual([])
    expect(report.updates).toEqual([])
    expect(report.errors.map((error) => [error.file, error.message, error.severity])).toEqual([
      [
        PRODUCTION_FILE,
        `${PRODUCTION_FILE}: its markers belong to ImageUpdateAutomation flux-system/apps, whose GitRepository is another repository; not updated here`,
        'warning',
      ],
      [
        STAGING_FILE,
        `${STAGING_FILE}: its markers belong to ImageUpdateAutomation flux-system/apps, whose GitRepository is another repository; not updated here`,
        'warning',
      ],
    ])
  })
})

describe('Flux objects outside repositories[].paths', () => {
  it('are read from the whole checkout, while paths still limit where updates are written', async () => {
    const { scenario, mainHead } = await start(
      [{ name: 'apps', path: './apps' }],
      '    paths: [apps/staging]\n',
    )
    const { report } = await once(scenario)
    expect(report.errors).toEqual([])
    const log = await scenario.git.log(REPO, 'main')
    expect(log[1]!.oid).toBe(mainHead)
    // The objects live in clusters/, beyond the paths; the production marker is beyond them too.
    expect(await changedFiles(scenario, log[0]!.oid)).toEqual([STAGING_FILE])
    expect(log[0]!.authorName).toBe('fluxcdbot')
  })
})
