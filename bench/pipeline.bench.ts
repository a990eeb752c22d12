// The whole pipeline on real servers: `once` on the users'-guide scenario, and registry push → pushed commit
// through the registry's own webhook, in the embedded mode and on Redis (coalescing 0, 20 pushes each).
import { loadConfig } from '../src/config/index.js'
import { createClient } from '../src/run/observer.js'
import { runCycle } from '../src/run/once.js'
import { sleep, waitFor } from '../test/support/daemon-helpers.js'
import { startRedis } from '../test/support/redis.js'
import {
  CI_TAGS,
  REPO,
  type Scenario,
  startScenario,
  startWebhookScenario,
} from '../test/support/scenario.js'
import { startConfiguredDaemon } from '../workers/configured.js'
import { createLogger } from '../workers/logger.js'
import type { Bench, BenchFigure } from './figure.js'

const PUSHES = 20

export const run: Bench = async () => [
  ...(await onceFigures()),
  ...(await latencyFigures('embedded')),
  ...(await latencyFigures('redis')),
]

async function onceFigures(): Promise<BenchFigure[]> {
  const scenario = await startScenario()
  try {
    await scenario.pushTags(CI_TAGS)
    const config = await loadConfig(scenario.configPath, {})
    const first = await timed(() => runCycle(config, createClient(config)))
    const again = await timed(() => runCycle(config, createClient(config)))
    if (!first.value.report.repositories[0]?.commit) throw new Error('once made no commit')
    return [
      { name: 'once, gitops-helm scenario: clone, scan, commit, push', value: first.ms, unit: 'ms' },
      { name: 'once again, nothing new (fetch, scan, no commit)', value: again.ms, unit: 'ms' },
    ]
  } finally {
    await scenario.stop()
  }
}

async function latencyFigures(mode: 'embedded' | 'redis'): Promise<BenchFigure[]> {
  const redis = mode === 'redis' ? await startRedis() : undefined
  const scenario = await startWebhookScenario(redis?.url)
  const config = await loadConfig(scenario.configPath, {})
  const daemon = await startConfiguredDaemon(config, {
    logger: createLogger({ level: process.env.BENCH_LOG ?? 'silent' }),
  })
  try {
    await waitFor(async () => (await fetch(`${daemon.url}/readyz`)).ok, 'readiness', 20_000)
    await settle(scenario)
    const latencies: number[] = []
    for (let i = 0; i < PUSHES; i++)
      latencies.push(await pushToCommit(scenario, `dev-bench${String(i).padStart(3, '0')}`))
    latencies.sort((a, b) => a - b)
    const p50 = percentile(latencies, 0.5)
    const p95 = percentile(latencies, 0.95)
    return [
      {
        name: `push → pushed commit, ${mode}, p50 of ${PUSHES}`,
        value: p50,
        unit: 'ms',
        bound: '< 300 ms',
        ok: p50 < 300,
      },
      {
        name: `push → pushed commit, ${mode}, p95 of ${PUSHES}`,
        value: p95,
        unit: 'ms',
        bound: '< 1000 ms',
        ok: p95 < 1000,
      },
    ]
  } finally {
    await daemon.close()
    await scenario.stop()
    await redis?.stop()
  }
}

/** Waits until the start-up update has landed, so each push is measured on a quiet daemon. */
async function settle(scenario: Scenario): Promise<void> {
  let last = await scenario.git.head(REPO, 'main')
  let quietSince = Date.now()
  while (Date.now() - quietSince < 500) {
    await sleep(50)
    const head = await scenario.git.head(REPO, 'main')
    if (head !== last) {
      last = head
      quietSince = Date.now()
    }
  }
}

/** From the start of the image push until the branch head holds the new tag. */
async function pushToCommit(scenario: Scenario, tag: string): Promise<number> {
  const before = await scenario.git.head(REPO, 'main')
  const started = performance.now()
  await scenario.pushTags([tag])
  await waitFor(
    async () => (await scenario.git.head(REPO, 'main')) !== before,
    `the commit of ${tag}`,
    20_000,
    5,
  )
  const elapsed = performance.now() - started
  const file = await scenario.git.readFile(REPO, 'main', 'releases/dev/podinfo.yaml')
  if (!file.includes(`tag: ${tag} #`)) throw new Error(`the commit after pushing ${tag} does not hold it`)
  return elapsed
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN
}

async function timed<T>(action: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now()
  const value = await action()
  return { value, ms: performance.now() - started }
}
