// The fluxctl verbs on git, as a user runs them (`node bin/imagebot.js …`, built), against the real registry and
// git server of the gitops-helm scenario. The cases follow fluxctl's behaviour in fluxcd/flux: policy_cmd.go
// (calculatePolicyChanges), pkg/update/release_image.go (locks and filters refused unless forced) and
// list_images_cmd.go / format.go (outputImagesTab, --limit). The tests run in order on one repository.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt, imagebot } from './support/built-cli.js'
import { gitopsHelmFiles } from './support/gitops-helm.js'
import { CI_TAGS, REPO, type Scenario, startScenario } from './support/scenario.js'

/** Each test runs the CLI several times (a process start, a fetch, maybe a push): minutes on a busy machine. */
const CLI_RUNS = 180_000

let s: Scenario
let config: string[]
beforeAll(async () => {
  ensureBuilt()
  s = await startScenario()
  await s.pushTags(CI_TAGS)
  config = ['--config', s.configPath]
}, 60_000)
afterAll(() => s.stop())

const read = (path: string) => s.git.readFile(REPO, 'main', path)
const head = async () => (await s.git.log(REPO, 'main'))[0]!

describe('imagebot policy', { timeout: CLI_RUNS }, () => {
  it('locks a workload that has no annotations: creates the map, one commit, pushed', async () => {
    const before = await head()
    const out = await imagebot([
      'policy',
      '--workload',
      'prod:deployment/redis',
      '--lock',
      '--message',
      'CVE review',
      ...config,
    ])
    expect(out.stderr).toBe('')
    expect(out.code).toBe(0)
    const after = await head()
    expect(after.parents).toEqual([before.oid])
    expect(out.stdout).toContain(`committed and pushed ${after.oid}`)
    expect(after.subject).toBe('Policy of prod:deployment/redis: lock')
    expect(after.message).toContain('Imagebot-Workload: prod:deployment/redis')
    expect(await read('releases/prod/redis.yaml')).toBe(
      gitopsHelmFiles()['releases/prod/redis.yaml']!.replace(
        '  namespace: prod\n',
        '  namespace: prod\n  annotations:\n    fluxcd.io/locked: "true"\n    fluxcd.io/locked_msg: "CVE review"\n',
      ),
    )
  })

  it('sets a filter under the prefix the release already uses, and --dry-run only shows the diff', async () => {
    const args = [
      'policy',
      '--workload',
      'prod:helmrelease/podinfo-prod',
      '--tag',
      'chart-image=semver:~0.5',
      ...config,
    ]
    const before = await head()
    const dry = await imagebot([...args, '--dry-run'])
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain(
      '-    flux.weave.works/tag.chart-image: semver:~0.4\n+    flux.weave.works/tag.chart-image: semver:~0.5\n',
    )
    expect((await head()).oid).toBe(before.oid)
    expect((await imagebot(args)).code).toBe(0)
    expect(await read('releases/prod/podinfo.yaml')).toBe(
      gitopsHelmFiles()['releases/prod/podinfo.yaml']!.replace(
        'tag.chart-image: semver:~0.4',
        'tag.chart-image: semver:~0.5',
      ),
    )
    // Asking again changes nothing and commits nothing.
    const set = await head()
    expect(set.parents).toEqual([before.oid])
    const again = await imagebot(args)
    expect(again.stdout).toContain('already as asked')
    expect((await head()).oid).toBe(set.oid)
  })

  it('refuses bad arguments with exit 2 and a hint, before touching the repository', async () => {
    const before = await head()
    const cases: [string[], string][] = [
      [['prod:helmrelease/podinfo-prd', '--automate'], '(did you mean prod:helmrelease/podinfo-prod?)'],
      [
        ['prod:helmrelease/podinfo-prod', '--tag', 'chart-imag=glob:*'],
        'has no container chart-imag (did you mean chart-image?)',
      ],
      [['prod:deployment/redis', '--tag', 'redis=semver:~7.x.y'], 'invalid tag policy "semver:~7.x.y"'],
      [['prod:deployment/redis', '--lock', '--unlock'], '--lock and --unlock both given'],
    ]
    for (const [args, message] of cases) {
      const out = await imagebot(['policy', '--workload', ...args, ...config])
      expect(out.code).toBe(2)
      expect(out.stderr).toContain(message)
    }
    expect((await head()).oid).toBe(before.oid)
  })
})

describe('imagebot release', { timeout: CLI_RUNS }, () => {
  it('releases a tag through the bot’s rewrite and commit message', async () => {
    const out = await imagebot([
      'release',
      '--workload',
      'dev:helmrelease/podinfo-dev',
      '--update-image',
      'stefanprodan/podinfo:dev-3a7c1e09',
      ...config,
    ])
    expect(out.stderr).toBe('')
    expect(out.code).toBe(0)
    const commit = await head()
    expect(commit.subject).toBe('Auto-release stefanprodan/podinfo:dev-3a7c1e09')
    expect(commit.message).toContain(
      'Imagebot-Image: stefanprodan/podinfo:dev-3a7c1e09\nImagebot-Workload: dev:helmrelease/podinfo-dev',
    )
    expect(await read('releases/dev/podinfo.yaml')).toBe(
      gitopsHelmFiles()['releases/dev/podinfo.yaml']!.replace('tag: dev-kb9lm91e #', 'tag: dev-3a7c1e09 #'),
    )
  })

  it('refuses a locked workload unless --force (as Flux v1), naming the lock message', async () => {
    const args = [
      'release',
      '--workload',
      'prod:deployment/redis',
      '--update-image',
      'redis:7.2.5',
      ...config,
    ]
    const before = await head()
    const refused = await imagebot(args)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(
      'prod:deployment/redis is locked ("CVE review"): unlock it with imagebot policy --unlock, or release anyway with --force',
    )
    // Forced past the lock, the tag must still exist: the test registry holds no redis repository at all.
    const forced = await imagebot([...args, '--force'])
    expect(forced.code).toBe(1)
    expect(forced.stderr).toContain(
      'cannot check redis:7.2.5 in its registry: docker.io/library/redis: listing tags failed: repository library/redis not found',
    )
    expect((await head()).oid).toBe(before.oid)
  })

  it('refuses a tag outside the container’s filter unless --force, and a tag nobody pushed', async () => {
    const base = ['release', '--workload', 'stg:helmrelease/podinfo-stg', ...config]
    const outside = await imagebot([...base, '--update-image', 'stefanprodan/podinfo:dev-1f3e9a27'])
    expect(outside.code).toBe(1)
    expect(outside.stderr).toContain(
      'does not pass the tag filter of stg:helmrelease/podinfo-stg container chart-image (glob:stg-*)',
    )
    const missing = await imagebot([...base, '--update-image', 'stefanprodan/podinfo:stg-nope'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('the registry lists no tag stg-nope')
    const forced = await imagebot([...base, '--update-image', 'stefanprodan/podinfo:dev-1f3e9a27', '--force'])
    expect(forced.code).toBe(0)
    expect(await read('releases/stg/podinfo.yaml')).toContain('tag: dev-1f3e9a27 # set by imagebot')
  })

  it('says which containers a workload has when none runs the image', async () => {
    const out = await imagebot([
      'release',
      '--workload',
      'dev:helmrelease/podinfo-dev',
      '--update-image',
      'nginx:1.27',
      ...config,
    ])
    expect(out.code).toBe(2)
    expect(out.stderr).toContain(
      'has no container running nginx; its containers: chart-image (stefanprodan/podinfo:dev-3a7c1e09)',
    )
  })
})

describe('imagebot images', { timeout: CLI_RUNS }, () => {
  it('lists the candidates newest first, the current tag and the pick', async () => {
    const out = await imagebot(['images', '--workload', 'dev:helmrelease/podinfo-dev', '--json', ...config])
    expect(out.code).toBe(0)
    const report = JSON.parse(out.stdout)
    expect(report.images).toHaveLength(1)
    const [image] = report.images
    expect(image).toMatchObject({
      workload: 'dev:helmrelease/podinfo-dev',
      container: 'chart-image',
      current: 'dev-3a7c1e09',
      pick: 'dev-1f3e9a27',
      policy: 'glob:dev-*',
    })
    expect(image.candidates.map((c: { tag: string }) => c.tag)).toEqual([
      'dev-1f3e9a27',
      'dev-3a7c1e09',
      'dev-kb9lm91e',
    ])
    expect(image.candidates[0].created).toMatch(/^\d{4}-\d\d-\d\dT/)
  })

  it('prints fluxctl’s table, honours --limit, and refuses a negative limit', async () => {
    const out = await imagebot(['images', '--limit', '1', ...config])
    expect(out.code).toBe(0)
    expect(out.stdout).toMatch(
      /dev:helmrelease\/podinfo-dev\s+chart-image\s+stefanprodan\/podinfo \[glob:dev-\*\]/,
    )
    expect(out.stdout).toMatch(/\|\s+dev-1f3e9a27 \*/)
    expect(out.stdout).toContain(':   (2 more)')
    expect(out.stdout).toMatch(/'-> dev-3a7c1e09\s+\?/)
    expect((await imagebot(['images', '--limit', '-1', ...config])).code).toBe(2)
  })
})
