// 1,000 image repositories scheduled on one process with Redis (BullMQ): one config repository holds 1,000
// Deployments, each on its own image repository of the real registry. Prints the time of the first full scan
// cycle (discovery done → every image scanned), the commit that follows, and Redis memory.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { loadConfig } from '../src/config/index.js'
import { waitFor } from '../test/support/daemon-helpers.js'
import { GitTestServer } from '../test/support/git-server.js'
import { buildImage, RegistryPusher } from '../test/support/push-image.js'
import { startRedis } from '../test/support/redis.js'
import { startRegistry } from '../test/support/registry.js'
import { freePort } from '../test/support/scenario.js'
import { startConfiguredDaemon } from '../workers/configured.js'
import { createLogger } from '../workers/logger.js'
import type { Bench } from './figure.js'

const IMAGES = 1_000
const PER_FILE = 100
const SEED = 'bench/seed'

export const run: Bench = async () => {
  const registry = await startRegistry()
  const git = await GitTestServer.start()
  const redis = await startRedis()
  const dir = await mkdtemp(join(tmpdir(), 'imagebot-schedule-'))
  try {
    await seedImages(registry.url)
    await git.createBareRepo('fleet', fleetFiles(registry.host))
    const port = await freePort()
    const configPath = join(dir, 'imagebot.yaml')
    await writeFile(
      configPath,
      `repositories: [{ url: "${git.repoUrl('fleet')}" }]
registries: [{ host: "${registry.host}", endpoint: "${registry.url}" }]
scan: { interval: 1h, concurrency: 8 }
server: { listen: "127.0.0.1:${port}" }
redis: { url: "${redis.url}" }
stateDir: state
`,
    )
    const config = await loadConfig(configPath, {})
    const started = performance.now()
    const daemon = await startConfiguredDaemon(config, { logger: createLogger({ level: 'silent' }) })
    try {
      const status = () => fetch(`${daemon.url}/status`).then((r) => r.json() as Promise<StatusJson>)
      await waitFor(async () => (await status()).discoveredAt !== undefined, 'discovery', 120_000, 100)
      const discovered = performance.now()
      await waitFor(
        async () => (await status()).images.filter((image) => image.lastScanAt).length >= IMAGES,
        'the scan cycle',
        120_000,
        100,
      )
      const scanned = performance.now()
      await waitFor(() => allUpdated(git), 'all updates', 120_000, 100)
      const committed = performance.now()
      const memory = await redisMemory(redis.url)
      return [
        {
          name: `discovery of ${IMAGES} images (clone, read, discover)`,
          value: discovered - started,
          unit: 'ms',
        },
        { name: `first scan cycle, ${IMAGES} image repositories`, value: scanned - discovered, unit: 'ms' },
        {
          name: `discovery → all ${IMAGES} updates pushed (coalesced commits)`,
          value: committed - discovered,
          unit: 'ms',
        },
        { name: 'Redis used_memory after the cycle', value: memory / 1024 / 1024, unit: 'MiB' },
      ]
    } finally {
      await daemon.close()
    }
  } finally {
    await Promise.allSettled([registry.stop(), git.close(), redis.stop()])
    await rm(dir, { recursive: true, force: true })
  }
}

interface StatusJson {
  discoveredAt?: string
  images: { lastScanAt?: string }[]
  configRepos: { lastCommit?: string }[]
}

function imageName(i: number): string {
  return `bench/app-${String(i).padStart(4, '0')}`
}

/** Every repository gets 1.0.0 and 1.0.1 of one image; config blobs are mounted, not uploaded again. */
async function seedImages(registryUrl: string): Promise<void> {
  const pusher = new RegistryPusher(registryUrl)
  const image = buildImage({ created: '2024-02-01T00:00:00Z' })
  await pusher.uploadBlob(SEED, image.config)
  let next = 0
  const lane = async () => {
    while (next < IMAGES) {
      const name = imageName(next++)
      await pusher.uploadBlob(name, image.config, SEED)
      await pusher.putManifest(name, '1.0.0', image.manifest, image.mediaType)
      await pusher.putManifest(name, '1.0.1', image.manifest, image.mediaType)
    }
  }
  await Promise.all(Array.from({ length: 16 }, lane))
}

function fleetFiles(registryHost: string): Record<string, string> {
  const files: Record<string, string> = {}
  for (let file = 0; file < IMAGES / PER_FILE; file++) {
    const docs: string[] = []
    for (let i = file * PER_FILE; i < (file + 1) * PER_FILE; i++) {
      docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: fleet
  annotations:
    fluxcd.io/automated: "true"
    fluxcd.io/tag.app: semver:~1.0
spec:
  template:
    spec:
      containers:
        - name: app
          image: ${registryHost}/${imageName(i)}:1.0.0
`)
    }
    files[`apps/fleet-${file}.yaml`] = docs.join('---\n')
  }
  return files
}

async function allUpdated(git: GitTestServer): Promise<boolean> {
  for (let file = 0; file < IMAGES / PER_FILE; file++) {
    if ((await git.readFile('fleet', 'main', `apps/fleet-${file}.yaml`)).includes(':1.0.0\n')) return false
  }
  return true
}

async function redisMemory(url: string): Promise<number> {
  const client = new Redis(url)
  try {
    const info = await client.info('memory')
    return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN)
  } finally {
    client.disconnect()
  }
}
