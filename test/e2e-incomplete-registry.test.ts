// Issue 12 §1 through the real `once` pipeline: registry answers that are incomplete (a failing or
// hanging manifest, a cut-short body, a list behind a cross-host Link, a list that omits a tag, a
// bare-array list, an exhausted pull budget) never make the bot commit an older or a non-newest
// tag. Real docker-registry behind the fault front, real git server, a fresh state dir per test.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/index.js'
import { createPipelineHandlers } from '../src/run/handlers.js'
import { createClient } from '../src/run/observer.js'
import { runCycle } from '../src/run/once.js'
import { hasErrors } from '../src/run/report.js'
import { type FaultFront, type FaultRule, startFaultFront } from './support/faults.js'
import { type Front, startPaginatingFront } from './support/fronts.js'
import { pushImage } from './support/push-image.js'
import { startRegistry, type TestRegistry } from './support/registry.js'
import { REPO, type Scenario, startScenario } from './support/scenario.js'

const HOST = 'registry.test'
const APP = 'team/app'
const LIB = 'team/lib'
let registry: TestRegistry
let faults: FaultFront
let paged: Front
let scenario: Scenario | undefined

beforeAll(async () => {
  registry = await startRegistry()
  for (const [index, tag] of ['v-1', 'v-2', 'v-3'].entries()) {
    await pushImage(registry.url, APP, tag, { created: `2024-0${index + 1}-01T00:00:00Z` })
  }
  await pushImage(registry.url, LIB, '1.0.0', { created: '2024-01-01T00:00:00Z' })
  await pushImage(registry.url, LIB, '1.1.0', { created: '2024-02-01T00:00:00Z' })
  faults = await startFaultFront(registry.url)
  // Sorted pages of two tags whose next page is on another host: v-3 is never listed.
  paged = await startPaginatingFront(faults.url, { link: 'cross-host' })
})
afterEach(async () => {
  faults.clear()
  await scenario?.stop()
  scenario = undefined
})
afterAll(async () => {
  await Promise.allSettled([paged.stop(), faults.stop()])
  await registry.stop()
})

function deployment(name: string, image: string, filter: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: dev
  annotations:
    fluxcd.io/automated: "true"
    fluxcd.io/tag.${name}: ${filter}
spec:
  template:
    spec:
      containers:
        - name: ${name}
          image: ${HOST}/${image}
`
}

const APP_FILE = 'releases/dev/app.yaml'
const LIB_FILE = 'releases/dev/lib.yaml'

/** A config repo whose app runs `current` under glob:v-*, and whose lib runs 1.0.0 under semver:^1. */
async function setUp(current: string, options: { paged?: boolean } = {}) {
  const endpoint = options.paged ? paged.url : faults.url
  scenario = await startScenario({
    files: {
      [APP_FILE]: deployment('app', `${APP}:${current}`, 'glob:v-*'),
      [LIB_FILE]: deployment('lib', `${LIB}:1.0.0`, 'semver:^1'),
    },
    extraRegistries: `  - host: ${HOST}\n    endpoint: ${endpoint}\n    pageSize: 2\n    timeout: 300ms\n    maxRetries: 1\n    retryBase: 5ms\n`,
  })
  return scenario
}

async function once(s: Scenario) {
  const config = await loadConfig(s.configPath, {})
  const { report } = await runCycle(config, createClient(config))
  return { report, repository: report.repositories[0]!, failed: hasErrors(report) }
}

const appTag = async (s: Scenario) =>
  /image: \S+:(\S+)/.exec(await s.git.readFile(REPO, 'main', APP_FILE))?.[1]
const appUpdates = (repository: Awaited<ReturnType<typeof once>>['repository']) =>
  repository.updates.filter((update) => update.file === APP_FILE)
const manifestOf = (tag: string, fault: FaultRule['fault']): FaultRule => ({
  path: `/${APP}/manifests/${tag}`,
  method: 'GET',
  fault,
})

describe('the current tag has no known build time', () => {
  it.each([
    ['answers 500', { type: 'status', status: 500 }],
    ['hangs', { type: 'hang' }],
  ] as const)(
    'its manifest %s: nothing moves, "waiting for build metadata", an error',
    async (_name, fault) => {
      const s = await setUp('v-3')
      faults.add(manifestOf('v-3', fault))
      const { repository, failed } = await once(s)
      expect(appUpdates(repository)).toEqual([])
      expect(await appTag(s)).toBe('v-3')
      expect(failed).toBe(true)
      expect(repository.errors).toContainEqual(
        expect.objectContaining({ message: expect.stringMatching(/waiting for build metadata of v-3/) }),
      )
    },
  )
})

describe('a tag list that is incomplete', () => {
  it('behind a cross-host Link: the unlisted current tag still competes, and wins', async () => {
    const s = await setUp('v-3', { paged: true })
    const { repository } = await once(s)
    expect(appUpdates(repository)).toEqual([])
    expect(await appTag(s)).toBe('v-3')
    expect(repository.errors).toContainEqual(
      expect.objectContaining({ message: expect.stringMatching(/another host/) }),
    )
  })

  it('silently omitting the current tag: never a downgrade, and no error', async () => {
    const s = await setUp('v-3')
    faults.add({ kind: 'tags', fault: { type: 'omit-tags', tags: ['v-3'] } })
    const { repository, failed } = await once(s)
    expect(appUpdates(repository)).toEqual([])
    expect(await appTag(s)).toBe('v-3')
    expect(failed).toBe(false)
    expect(repository.skipped).toContainEqual(
      expect.objectContaining({ file: APP_FILE, reason: expect.stringMatching(/downgrade from v-3 to v-2/) }),
    )
  })

  it('omitting the current tag whose manifest also fails: the cache from the last scan still knows it', async () => {
    const s = await setUp('v-3')
    expect(appUpdates((await once(s)).repository)).toEqual([])
    faults.add({ kind: 'tags', fault: { type: 'omit-tags', tags: ['v-3'] } })
    faults.add(manifestOf('v-3', { type: 'status', status: 500 }))
    const second = await once(s)
    expect(appUpdates(second.repository)).toEqual([])
    expect(second.failed).toBe(false)
    // A second complete list without v-3: still never forgotten while a container runs it.
    const third = await once(s)
    expect(appUpdates(third.repository)).toEqual([])
    expect(await appTag(s)).toBe('v-3')
  })
})

describe('the newest candidate has no known build time', () => {
  it.each([
    ['answers 500', { type: 'status', status: 500 }],
    ['is cut short', { type: 'truncate' }],
  ] as const)(
    'its manifest %s: no move to a non-newest tag; the next scan moves straight to it',
    async (_name, fault) => {
      const s = await setUp('v-1')
      faults.add(manifestOf('v-3', fault))
      const first = await once(s)
      expect(appUpdates(first.repository)).toEqual([])
      expect(await appTag(s)).toBe('v-1')
      expect(first.repository.errors).toContainEqual(
        expect.objectContaining({ message: expect.stringMatching(/waiting for build metadata of v-3/) }),
      )
      faults.clear()
      const second = await once(s)
      expect(appUpdates(second.repository).map((update) => update.next)).toEqual([`${HOST}/${APP}:v-3`])
      expect(await appTag(s)).toBe('v-3')
    },
  )
})

describe('other registry answers', () => {
  it('a bare-array tag list is an error naming the image, not "no tags"', async () => {
    const s = await setUp('v-1')
    faults.add({ path: APP, kind: 'tags', fault: { type: 'bare-array' } })
    const { repository, failed } = await once(s)
    expect(failed).toBe(true)
    expect(repository.errors).toContainEqual({
      image: `${HOST}/${APP}`,
      message: expect.stringMatching(/team\/app.*JSON array/),
    })
    expect(appUpdates(repository)).toEqual([])
  })

  it('ratelimit-remaining 0 stops manifest GETs only: semver still updates, build-time policies wait', async () => {
    const s = await setUp('v-1')
    faults.add({ kind: 'tags', fault: { type: 'header', name: 'ratelimit-remaining', value: '0;w=21600' } })
    const { repository } = await once(s)
    expect(
      repository.updates.filter((update) => update.file === LIB_FILE).map((update) => update.next),
    ).toEqual([`${HOST}/${LIB}:1.1.0`])
    expect(appUpdates(repository)).toEqual([])
    expect(await appTag(s)).toBe('v-1')
    expect(repository.errors).toContainEqual(
      expect.objectContaining({
        message: expect.stringMatching(/waiting for build metadata of v-1, v-2, v-3/),
      }),
    )
  })
})

describe('a daemon scan that meets a tag listed before it can be read', () => {
  it('looks again after 50 ms, doubling, five times, then leaves it to the schedule', async () => {
    // distribution notifies and lists a pushed tag a moment before its manifest GET answers: the quick
    // re-scans must come soon after (push → commit latency) and stop after a bounded number.
    const s = await setUp('v-2')
    faults.add(
      manifestOf('v-3', { type: 'body', status: 404, body: '{"errors":[{"code":"MANIFEST_UNKNOWN"}]}' }),
    )
    const config = await loadConfig(s.configPath, {})
    const handlers = createPipelineHandlers(config, createClient(config))
    await handlers.discover()
    const delays: (number | undefined)[] = []
    for (let scan = 0; scan < 6; scan++) delays.push((await handlers.scan(`${HOST}/${APP}`)).retryInMs)
    expect(delays).toEqual([50, 100, 200, 400, 800, undefined])
    faults.clear()
    const readable = await handlers.scan(`${HOST}/${APP}`)
    expect(readable.changed).toBe(true)
    expect(readable.retryInMs).toBeUndefined()
  })
})
