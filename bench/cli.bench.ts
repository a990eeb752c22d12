// Start-up and one-shot commands as users run them: `node bin/imagebot.js …` (the bundle in dist/bundle/) in a child
// process, median of several rounds, next to bare `node -e 0` measured in the same rounds (issue 10 §1):
//   imagebot --version ≤ 3× bare node; targets on the gitops-helm repo ≤ 0.4 s;
//   plan of 200 annotated Deployments over 50 image repositories (local registry, warm state) ≤ 0.5 s wall and
//   ≤ 120 MB peak RSS (from /usr/bin/time -f %M).
// PEER_RENOVATE=/path/to/renovate (its bin) adds Renovate's time and RSS for a lookup-only dry run of the same repo.
import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { gitopsHelmFiles } from '../test/support/gitops-helm.js'
import { automatedDeployment } from '../test/support/manifests.js'
import { pushImage } from '../test/support/push-image.js'
import { startRegistry } from '../test/support/registry.js'
import type { Bench, BenchFigure } from './figure.js'

const ROOT = join(import.meta.dirname, '..')
const BIN = join(ROOT, 'bin', 'imagebot.js')
const RUNS = 7
const DEPLOYMENTS = 200
const IMAGES = 50
const TAGS_PER_IMAGE = 8
const TIME = '/usr/bin/time'
/** Renovate runs measured after its warm-up run (each takes seconds). */
const PEER_RUNS = 3

interface Measured {
  seconds: number
  rssMb?: number
}

/**
 * Median wall time (and the peak RSS of that run) of each command over RUNS rounds. A round runs every
 * command once, one after another, so bare node and imagebot see the same moments of a host whose speed
 * drifts by half within minutes: the ratios compare like with like.
 */
async function measureRounds(commands: string[][], cwd = ROOT): Promise<Measured[]> {
  const runs: Measured[][] = commands.map(() => [])
  for (let round = 0; round < RUNS; round++) {
    for (const [index, args] of commands.entries()) runs[index]!.push(await once(args, cwd))
  }
  return runs.map(median)
}

/** The run of median wall time (its RSS with it). */
function median(runs: Measured[]): Measured {
  return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)] as Measured
}

/** Asynchronous on purpose: the registry child's log pipe must keep draining while a command runs. */
async function once(args: string[], cwd: string): Promise<Measured> {
  const { child, ...measured } = await timed(process.execPath, args, cwd, { ...process.env, NO_COLOR: '1' })
  // Exit 1 (some registry error, e.g. a timeout on a loaded machine) still measures a real run: say so.
  if (child.status !== 0 && child.status !== 1)
    throw new Error(`node ${args.join(' ')} exited ${child.status}: ${child.stderr}`)
  if (child.status === 1)
    process.stderr.write(`  (node ${args.slice(1, 2).join(' ')} … exited 1: ${firstError(child)})\n`)
  return measured
}

/** Wall time of one run of `command args…`, and its peak RSS when /usr/bin/time is there to report it. */
async function timed(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<Measured & { child: Finished }> {
  const withTime = existsSync(TIME)
  const started = process.hrtime.bigint()
  const child = withTime
    ? await finished(TIME, ['-f', 'rss-kb %M', command, ...args], { cwd, env })
    : await finished(command, args, { cwd, env })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const rss = child.stderr.match(/rss-kb (\d+)/)
  return rss ? { seconds, rssMb: Number(rss[1]) / 1024, child } : { seconds, child }
}

interface Finished {
  status: number
  stdout: string
  stderr: string
}

function finished(command: string, argv: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) {
  return new Promise<Finished>((resolve) => {
    execFile(command, argv, { ...options, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : -1) : 0
      resolve({ status, stdout, stderr })
    })
  })
}

function firstError(child: { stdout: string; stderr: string }): string {
  return (child.stdout.match(/"message": "([^"]+)"/)?.[1] ?? child.stderr).slice(0, 200)
}

function writeTree(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
}

function deployment(index: number): string {
  const image = index % IMAGES
  // One image in five is ordered by build time (its tags' metadata is fetched once, then cached in stateDir).
  const byTime = image % 5 === 0
  const filter = byTime ? 'glob:main-*' : 'semver:~1.0'
  const tag = byTime ? 'main-0' : '1.0.0'
  return automatedDeployment({
    name: `service-${index}`,
    namespace: `team-${index % 10}`,
    image: `example/image-${image}:${tag}`,
    filter,
  })
}

export const run: Bench = async () => {
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' })
  const scratch = mkdtempSync(join(tmpdir(), 'imagebot-bench-cli-'))
  const registry = await startRegistry()
  try {
    const helm = join(scratch, 'gitops-helm')
    writeTree(helm, gitopsHelmFiles())
    const planned = join(scratch, 'plan-repo')
    const files: Record<string, string> = {}
    for (let i = 0; i < DEPLOYMENTS; i++) files[`apps/team-${i % 10}/service-${i}.yaml`] = deployment(i)
    writeTree(planned, files)
    const config = join(scratch, 'imagebot.yaml')
    writeFileSync(
      config,
      `repositories:\n  - url: https://git.example.test/plan-repo.git\nregistries:\n  - host: docker.io\n    endpoint: ${registry.url}\nstateDir: ${join(scratch, 'state')}\n`,
    )
    await pushTags(registry.url)

    const planArgs = [BIN, 'plan', planned, '--config', config, '--json']
    const first = await once(planArgs, ROOT)
    const [node, version, targets, plan] = (await measureRounds([
      ['-e', '0'],
      [BIN, '--version'],
      [BIN, 'targets', helm],
      planArgs,
    ])) as [Measured, Measured, Measured, Measured]
    const figures: BenchFigure[] = [
      { name: 'node -e 0 (bare node, this run)', value: node.seconds * 1000, unit: 'ms' },
      {
        name: 'imagebot --version',
        value: version.seconds * 1000,
        unit: 'ms',
        bound: '≤ 3× node',
        ok: version.seconds <= 3 * node.seconds,
      },
      { name: 'imagebot --version / node -e 0', value: version.seconds / node.seconds, unit: '×' },
      { name: 'imagebot targets / node -e 0', value: targets.seconds / node.seconds, unit: '×' },
      {
        name: 'imagebot targets, gitops-helm repo',
        value: targets.seconds * 1000,
        unit: 'ms',
        bound: '≤ 400 ms',
        ok: targets.seconds <= 0.4,
      },
      {
        name: `plan ${DEPLOYMENTS} Deployments / ${IMAGES} images, cold state`,
        value: first.seconds * 1000,
        unit: 'ms',
      },
      {
        name: `plan ${DEPLOYMENTS} Deployments / ${IMAGES} images, warm state`,
        value: plan.seconds * 1000,
        unit: 'ms',
        bound: '≤ 500 ms',
        ok: plan.seconds <= 0.5,
      },
      // Against bare node in the same run: a slower machine or a busier one moves both.
      { name: 'plan, warm state / node -e 0', value: plan.seconds / node.seconds, unit: '×' },
    ]
    if (plan.rssMb !== undefined)
      figures.push({
        name: 'plan, warm state: peak RSS',
        value: plan.rssMb,
        unit: 'MB',
        bound: '≤ 120 MB',
        ok: plan.rssMb <= 120,
      })
    figures.push(...(await renovate(planned, registry.url, scratch, plan)))
    return figures
  } finally {
    await registry.stop()
    if (!process.env.BENCH_KEEP) rmSync(scratch, { recursive: true, force: true })
  }
}

async function pushTags(registryUrl: string): Promise<void> {
  const pushes: Promise<unknown>[] = []
  for (let image = 0; image < IMAGES; image++) {
    const byTime = image % 5 === 0
    for (let i = 0; i < TAGS_PER_IMAGE; i++) {
      const tag = byTime ? `main-${i}` : `1.0.${i}`
      const created = new Date(Date.UTC(2024, 1, 1, 0, i)).toISOString()
      pushes.push(pushImage(registryUrl, `example/image-${image}`, tag, { created }))
    }
    if (pushes.length >= 40) await Promise.all(pushes.splice(0))
  }
  await Promise.all(pushes)
}

/**
 * Renovate's lookup-only dry run of the same repo, when PEER_RENOVATE names its executable (Renovate 39 runs on
 * Node 20: `npm install renovate@39`). It is told what a user would tell it: the kubernetes manager reads the
 * YAML files (it matches none by default) and docker lookups go to the bench's registry. One run warms its
 * cache, then the median of PEER_RUNS, each with its peak RSS.
 */
async function renovate(
  repo: string,
  registryUrl: string,
  scratch: string,
  ours: Measured,
): Promise<BenchFigure[]> {
  const bin = process.env.PEER_RENOVATE
  if (!bin) return []
  const configFile = join(scratch, 'renovate-peer.json')
  writeFileSync(
    configFile,
    JSON.stringify({
      onboarding: false,
      requireConfig: 'optional',
      kubernetes: { fileMatch: ['\\.yaml$'] },
      packageRules: [{ matchDatasources: ['docker'], registryUrls: [registryUrl] }],
    }),
  )
  const env = {
    ...process.env,
    LOG_LEVEL: 'warn',
    RENOVATE_CONFIG_FILE: configFile,
    RENOVATE_CACHE_DIR: join(scratch, 'renovate-cache'),
  }
  const runs: Measured[] = []
  for (let run = 0; run <= PEER_RUNS; run++) {
    const { child, ...measured } = await timed(bin, ['--platform=local', '--dry-run=lookup'], repo, env)
    if (child.status !== 0)
      return [
        {
          name: `Renovate (${bin}) failed: exit ${child.status}`,
          value: measured.seconds * 1000,
          unit: 'ms',
        },
      ]
    if (run > 0) runs.push(measured)
  }
  const middle = median(runs)
  const figures: BenchFigure[] = [
    {
      name: 'Renovate --platform=local --dry-run=lookup, same repo',
      value: middle.seconds * 1000,
      unit: 'ms',
    },
    { name: 'Renovate / imagebot plan (warm)', value: middle.seconds / ours.seconds, unit: '×' },
  ]
  if (middle.rssMb !== undefined)
    figures.push({ name: 'Renovate, same run: peak RSS', value: middle.rssMb, unit: 'MB' })
  return figures
}
