// What each command loads at run time, recorded by a module hook while the built CLI runs as a user runs it
// (issue 10 §1: each command loads only what it needs). Libraries bundled into dist/bundle/ never show up as
// node_modules loads; what does show up must be what the command uses.
import { readdirSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt, imagebot, ROOT } from './support/built-cli.js'
import { automatedDeployment } from './support/manifests.js'
import { pushImage } from './support/push-image.js'
import { startRegistry, type TestRegistry } from './support/registry.js'

const HOOK = join(import.meta.dirname, 'support', 'record-loads.mjs')
/** The daemon's, git's and signing's libraries: no one-shot command that reads a directory needs them. */
const DAEMON_AND_GIT = ['isomorphic-git', 'openpgp', 'bullmq', 'ioredis', 'fastify', 'pino', 'prom-client']

let registry: TestRegistry
let scratch: string
/** imagebot.yaml pointing at the test registry. */
let config: string
beforeAll(async () => {
  ensureBuilt()
  registry = await startRegistry()
  await pushImage(registry.url, 'team/app', '1.0.0', { created: '2024-01-01T00:00:00Z' })
  await pushImage(registry.url, 'team/app', '1.0.1', { created: '2024-01-02T00:00:00Z' })
  scratch = await mkdtemp(join(tmpdir(), 'imagebot-cli-loading-'))
  await writeFile(
    join(scratch, 'app.yaml'),
    automatedDeployment({ name: 'app', image: `${registry.host}/team/app:1.0.0`, filter: 'semver:~1.0' }),
  )
  config = join(scratch, 'imagebot.yaml')
  await writeFile(
    config,
    `repositories:\n  - url: https://git.example.test/app.git\nregistries:\n  - host: ${registry.host}\n    endpoint: ${registry.url}\nstateDir: ${scratch}/state\n`,
  )
}, 60_000)
afterAll(async () => {
  await registry.stop()
  await rm(scratch, { recursive: true, force: true })
})

/** Runs the CLI and returns its result and the npm packages it loaded. */
async function loading(args: string[], run: string) {
  const record = join(scratch, `${run}.loads`)
  await writeFile(record, '')
  const result = await imagebot(args, {
    env: { IMAGEBOT_RECORD_LOADS: record, NODE_OPTIONS: `--import=${HOOK}` },
  })
  const urls = (await readFile(record, 'utf8')).split('\n').filter(Boolean)
  const packages = new Set(urls.map((url) => url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1]))
  return { result, packages: [...packages].sort() }
}

describe('what a command loads', () => {
  it('--version loads no npm package: the command table and commander are in the bundle', async () => {
    const { result, packages } = await loading(['--version'], 'version')
    expect(result).toMatchObject({ code: 0, stdout: '0.1.0\n' })
    expect(packages).toEqual([])
  })

  it('targets loads no npm package either: its libraries (yaml, policies) are bundled, git and servers never load', async () => {
    const { result, packages } = await loading(['targets', scratch], 'targets')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/team\/app:1\.0\.0/)
    expect(packages).toEqual([])
  })

  it('plan of a directory loads no git, signing, queue or server library', async () => {
    const { result, packages } = await loading(['plan', scratch, '--config', config, '--json'], 'plan')
    expect(result.stderr).toBe('')
    expect(JSON.parse(result.stdout).repositories[0].updates).toMatchObject([
      { current: `${registry.host}/team/app:1.0.0`, next: `${registry.host}/team/app:1.0.1` },
    ])
    for (const heavy of DAEMON_AND_GIT) expect(packages, heavy).not.toContain(heavy)
  })
})

describe('the bundle', () => {
  // policies/re2.ts requires re2js on first use, from wherever the bundle's chunk sits.
  it('loads the regex engine when a regex: filter needs it', async () => {
    const dir = join(scratch, 'regex')
    await mkdir(dir, { recursive: true })
    const manifest = await readFile(join(scratch, 'app.yaml'), 'utf8')
    await writeFile(join(dir, 'app.yaml'), manifest.replace('semver:~1.0', 'regex:^1\\.0\\.[01]$'))
    const result = await imagebot(['plan', dir, '--config', config, '--json'])
    expect(result.stderr).toBe('')
    expect(JSON.parse(result.stdout).repositories[0].updates).toMatchObject([
      { next: `${registry.host}/team/app:1.0.1`, policy: 'regex:^1\\.0\\.[01]$' },
    ])
  })

  // bin/imagebot.js keeps V8's compiled code per command; a cache is only an optimisation, never a change.
  it('keeps compiled code per command, and runs the same with a missing, damaged or disabled cache', async () => {
    const cacheDir = join(scratch, 'compile-cache')
    const args = ['plan', scratch, '--config', config, '--json']
    const env = { IMAGEBOT_COMPILE_CACHE: cacheDir }
    const first = await imagebot(args, { env })
    expect(first.code).toBe(0)
    const written = readdirSync(cacheDir)
    expect(written).toEqual([expect.stringMatching(/^compiled-.*-plan\.bin$/)])
    const cached = await imagebot(args, { env })
    expect(cached).toEqual(first)
    await writeFile(join(cacheDir, written[0]!), 'not V8 code')
    expect(await imagebot(args, { env })).toEqual(first)
    // The damaged file was rejected and written again.
    expect((await readFile(join(cacheDir, written[0]!))).length).toBeGreaterThan(1000)
    const off = join(scratch, 'no-cache')
    expect(await imagebot(args, { env: { IMAGEBOT_COMPILE_CACHE: 'off', XDG_CACHE_HOME: off } })).toEqual(
      first,
    )
    expect(() => readdirSync(off)).toThrow()
  })

  // `import { z } from 'zod'` hands esbuild zod's whole namespace object, so nothing of zod can be dropped
  // (its ~50 translations, JSON Schema output): the chunk a config load compiles grew from 234 to 825 KB.
  it('imports zod as a namespace, so the bundle holds only the parts of zod that are called', () => {
    const valueImports: string[] = []
    for (const dir of ['src', 'policies', 'workers']) {
      for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })) {
        if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue
        const text = readFileSync(join(entry.parentPath, entry.name), 'utf8')
        if (/^import \{[^}]*\bz\b[^}]*\} from 'zod'/m.test(text)) valueImports.push(entry.name)
      }
    }
    expect(valueImports).toEqual([])
  })
})
