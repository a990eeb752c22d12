// Scan progress (issue 10 §4): shown on stderr when it is a terminal, never into a pipe and never with
// --json. The terminal is a real pseudo-terminal from util-linux `script`; the registry is the real one.
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BIN, ensureBuilt, imagebot } from './support/built-cli.js'
import { pushImage } from './support/push-image.js'
import { startRegistry, type TestRegistry } from './support/registry.js'

let registry: TestRegistry
let dir: string
let config: string

beforeAll(async () => {
  ensureBuilt()
  registry = await startRegistry()
  for (const app of ['one', 'two']) {
    await pushImage(registry.url, `acme/${app}`, '1.0.0', { created: '2024-01-01T00:00:00Z' })
    await pushImage(registry.url, `acme/${app}`, '1.1.0', { created: '2024-02-01T00:00:00Z' })
  }
  dir = await mkdtemp(join(tmpdir(), 'imagebot-progress-'))
  const deployment = (app: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: apps
  annotations:
    fluxcd.io/automated: "true"
    fluxcd.io/tag.app: semver:^1
spec:
  template:
    spec:
      containers:
      - name: app
        image: ${registry.host}/acme/${app}:1.0.0
`
  await writeFile(join(dir, 'apps.yaml'), `${deployment('one')}---\n${deployment('two')}`)
  config = join(dir, 'imagebot.yaml')
  await writeFile(
    config,
    `repositories:\n  - url: https://git.example.test/config.git\nstateDir: ${join(dir, 'state')}\n` +
      `registries:\n  - host: ${registry.host}\n    endpoint: ${registry.url}\n`,
  )
}, 60_000)
afterAll(async () => {
  await registry?.stop()
  await rm(dir, { recursive: true, force: true })
})

/** The command under a pseudo-terminal: everything it wrote to the terminal, stdout and stderr together. */
function onTerminal(args: string[]): Promise<string> {
  const command = [process.execPath, BIN, ...args].map((word) => `'${word}'`).join(' ')
  return new Promise((resolve) => {
    execFile(
      'script',
      ['-qec', command, '/dev/null'],
      { env: { ...process.env, NO_COLOR: '1' } },
      (_e, out) => resolve(out),
    )
  })
}

describe('scan progress', () => {
  it('is shown on a terminal, with the image count and the registry', async () => {
    const screen = await onTerminal(['plan', dir, '--config', config])
    expect(screen).toMatch(new RegExp(`scanning .* [12]/2 images \\| ${registry.host.replace('.', '\\.')}`))
    expect(screen).toContain('1.1.0')
  }, 60_000)

  it('is never written into a pipe, nor with --json on a terminal', async () => {
    const piped = await imagebot(['plan', dir, '--config', config])
    expect(piped.stdout).toContain('1.1.0')
    expect(piped.stderr).not.toContain('scanning')
    const json = await onTerminal(['plan', dir, '--config', config, '--json'])
    expect(json).toContain('"updates"')
    expect(json).not.toContain('scanning')
  }, 60_000)
})
