// Registry client at scale against the real registry: 1,000 repositories × 50 tags. Measures the
// first scan with build metadata for every tag, the steady-state scan (every tag already known),
// and requests per steady-state scan against the lower bound pages × repositories, counted by a
// front that also paginates (20 tags per page → 3 pages per repository: distribution 2.8 ignores
// `n`). Registry storage sits on /dev/shm when there is one, to keep disk noise out of the figures.
// Seeding (untimed): 10 repositories are pushed over HTTP in parallel (50 images with distinct
// created times; config blobs uploaded once and mounted across repositories), then copied on disk
// (`cp -r`) to the other 990: a repository directory holds only link files to shared blobs.
// Pushing all 100,000 manifests and mounts over HTTP took ~4 minutes on this 2-core machine.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createRegistryClient } from '../src/registry/client.js'
import { type ObserveRequest, observe } from '../src/registry/observe.js'
import { type CountingFront, paginatingHandler, startCountingFront } from '../test/support/fronts.js'
import { type BuiltImage, buildImage, RegistryPusher } from '../test/support/push-image.js'
import { startRegistry, type TestRegistry } from '../test/support/registry.js'
import type { Bench, BenchFigure } from './figure.js'

const REPOSITORIES = 1_000
const TAGS = 50
const PAGE_SIZE = 20
const PAGES_PER_REPOSITORY = Math.ceil(TAGS / PAGE_SIZE)
const PUSHED_REPOSITORIES = 10
const COPY_CONCURRENCY = 4
const exec = promisify(execFile)
const SEED_REPOSITORY = 'bench/seed'

export const run: Bench = async () => {
  const tmpRoot = existsSync('/dev/shm') ? '/dev/shm' : tmpdir()
  const registry = await startRegistry({ tmpRoot })
  const stateDir = await mkdtemp(join(tmpdir(), 'imagebot-bench-registry-'))
  // One front counts and paginates: a second proxy hop would only add noise to the timings.
  const counter = await startCountingFront(registry.url, paginatingHandler(registry.url))
  try {
    const seedSeconds = await seed(registry)
    return [
      { name: `seed ${REPOSITORIES} repos × ${TAGS} tags (untimed setup)`, value: seedSeconds, unit: 's' },
      ...(await measure(counter, stateDir)),
    ]
  } finally {
    await counter.stop()
    await registry.stop()
    await rm(stateDir, { recursive: true, force: true })
  }
}

/** Tag i of every repository is the same image (one config blob per distinct created time). */
function images(): BuiltImage[] {
  return Array.from({ length: TAGS }, (_, i) =>
    buildImage({ created: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString() }),
  )
}

function tagName(i: number): string {
  return `1.${Math.floor(i / 10)}.${i % 10}`
}

function repositoryName(i: number): string {
  return `bench/app-${String(i).padStart(4, '0')}`
}

async function seed(registry: TestRegistry): Promise<number> {
  const started = performance.now()
  const pusher = new RegistryPusher(registry.url)
  const built = images()
  for (const image of built) await pusher.uploadBlob(SEED_REPOSITORY, image.config)
  await forEachLimit(PUSHED_REPOSITORIES, PUSHED_REPOSITORIES, async (index) => {
    const name = repositoryName(index)
    for (const [i, image] of built.entries()) {
      await pusher.uploadBlob(name, image.config, SEED_REPOSITORY)
      await pusher.putManifest(name, tagName(i), image.manifest, image.mediaType)
    }
  })
  const repositories = join(registry.storageDir, 'docker', 'registry', 'v2', 'repositories')
  await forEachLimit(REPOSITORIES - PUSHED_REPOSITORIES, COPY_CONCURRENCY, async (offset) => {
    const index = PUSHED_REPOSITORIES + offset
    const from = join(repositories, repositoryName(index % PUSHED_REPOSITORIES))
    await exec('cp', ['-r', from, join(repositories, repositoryName(index))])
  })
  return (performance.now() - started) / 1000
}

async function measure(counter: CountingFront, stateDir: string): Promise<BenchFigure[]> {
  const registries = [{ host: counter.host, endpoint: counter.url, pageSize: PAGE_SIZE, maxConcurrency: 16 }]
  const requests: ObserveRequest[] = Array.from({ length: REPOSITORIES }, (_, i) => ({
    image: { registry: counter.host, repository: repositoryName(i) },
    wantsMetadata: () => true,
  }))
  const lowerBound = PAGES_PER_REPOSITORY * REPOSITORIES
  const client = createRegistryClient({ registries, stateDir })
  const scan = async (target = client) => {
    counter.reset()
    const started = performance.now()
    const result = await observe(target, requests, { concurrency: 16 })
    const seconds = (performance.now() - started) / 1000
    check(result)
    return { seconds, counts: { ...counter.counts }, total: counter.total() }
  }

  const first = await scan()
  const steady = await scan()
  const restarted = await scan(createRegistryClient({ registries, stateDir }))
  const restartedRequests = restarted.counts.tags + restarted.counts.manifest + restarted.counts.blob
  const ratio = steady.total / lowerBound
  const restartRatio = restartedRequests / lowerBound
  const label = `${REPOSITORIES} repos × ${TAGS} tags`
  return [
    { name: `first scan with metadata, ${label}`, value: first.seconds, unit: 's' },
    {
      name: `first scan requests (${first.counts.manifest} manifest, ${first.counts.blob} blob)`,
      value: first.total,
      unit: 'req',
    },
    { name: `steady-state scan, ${label}`, value: steady.seconds, unit: 's' },
    {
      name: `steady-state requests ÷ bound (${PAGES_PER_REPOSITORY} pages × ${REPOSITORIES} repos)`,
      value: ratio,
      unit: '×',
      bound: '= 1.00',
      ok: steady.total === lowerBound && steady.counts.manifest === 0 && steady.counts.blob === 0,
    },
    {
      name: `after restart: tags+manifest+blob ÷ bound (+${restarted.counts.ping} ping)`,
      value: restartRatio,
      unit: '×',
      bound: '= 1.00',
      ok: restartedRequests === lowerBound && restarted.counts.manifest === 0 && restarted.counts.blob === 0,
    },
    { name: 'scan after restart (state loaded from disk)', value: restarted.seconds, unit: 's' },
  ]
}

/** A benchmark that measured failures would be meaningless: every repository must be complete. */
function check(result: Awaited<ReturnType<typeof observe>>): void {
  if (result.size !== REPOSITORIES)
    throw new Error(`observed ${result.size} repositories, expected ${REPOSITORIES}`)
  for (const observation of result.values()) {
    if (observation.problems.length > 0) throw new Error(observation.problems[0]?.message)
    if (observation.tags.length !== TAGS || observation.metadata.size !== TAGS) {
      throw new Error(
        `${observation.key}: ${observation.tags.length} tags, ${observation.metadata.size} with metadata`,
      )
    }
  }
}

async function forEachLimit(
  count: number,
  limit: number,
  work: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0
  const lane = async () => {
    while (next < count) await work(next++)
  }
  await Promise.all(Array.from({ length: limit }, lane))
}
