// The page, server.auth and /api steering on a real daemon (embedded, and Redis for persistence):
// reconcile queues real scan and update jobs, a suspended repository is updated as a dry run only, and a
// suspension survives a restart of the daemon.
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import type { PipelineHandlers, UpdateOutcome } from '../src/queue/contract.js'
import { isLoopback } from '../src/server/auth.js'
import { type DaemonOptions, startDaemon } from '../workers/daemon.js'
import { createLogger } from '../workers/logger.js'
import { waitFor } from './support/daemon-helpers.js'
import { startRedis } from './support/redis.js'

const REPO = 'http://127.0.0.1:1/gitops.git'
const OTHER = 'http://127.0.0.1:1/other.git'
const APP = 'docker.io/acme/app'
const TOKEN = 'steering-token-0123456789'

interface Calls {
  scans: string[]
  updates: { repo: string; dryRun: boolean }[]
}

function handlers(calls: Calls): PipelineHandlers {
  const outcome: UpdateOutcome = {
    updates: 1,
    errors: [],
    targets: [
      {
        file: 'apps/app.yaml',
        workload: 'prod:deployment/app',
        container: 'app',
        current: 'acme/app:1.0.0',
        next: 'acme/app:1.1.0',
        policy: 'semver:^1',
        reason: '1.0.0 → 1.1.0: newest match for semver:^1',
      },
    ],
  }
  return {
    discover: async () => [
      { image: APP, configRepos: [REPO], intervalMs: 3_600_000 },
      { image: 'docker.io/acme/other', configRepos: [OTHER], intervalMs: 3_600_000 },
    ],
    scan: async (image) => {
      calls.scans.push(image)
      return { changed: false, affectedConfigRepos: [], tagsSeen: 4 }
    },
    update: async (repo, options = {}) => {
      calls.updates.push({ repo, dryRun: options.dryRun === true })
      return options.dryRun ? outcome : { ...outcome, commit: 'c0ffee0123456789' }
    },
  }
}

const stops: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop()
})

async function start(calls: Calls, options: Partial<DaemonOptions> = {}) {
  const daemon = await startDaemon({
    handlers: handlers(calls),
    backend: 'embedded',
    listen: '127.0.0.1:0',
    coalesceMs: 0,
    repositories: [
      { url: REPO, branch: 'main' },
      { url: OTHER, branch: 'release' },
    ],
    logger: createLogger({ level: 'silent' }),
    tuning: { confirmScanMs: 0 },
    ...options,
  })
  stops.push(() => daemon.close())
  // Start-up discovery updates both repositories once; the tests count the updates they cause themselves.
  calls.updates.length = 0
  const both = () => [REPO, OTHER].every((repo) => calls.updates.some((u) => u.repo === repo))
  await waitFor(both, 'the start-up updates')
  calls.updates.length = 0
  return daemon
}

/** The latest update call of this repository, once there is one. */
const updateOf = (calls: Calls, repo: string) =>
  waitFor(() => calls.updates.filter((u) => u.repo === repo).at(-1), `an update of ${repo}`)

const api = (base: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })

const BIN = join(import.meta.dirname, '..', 'bin', 'imagebot.js')

/** `node bin/imagebot.js …` as a user runs it (the compiled CLI). */
async function imagebot(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [BIN, ...args], {
      env: { ...process.env, ...env },
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

describe('steering the daemon', () => {
  it('imagebot reconcile, suspend and resume call the API with server.auth', async () => {
    const calls: Calls = { scans: [], updates: [] }
    const daemon = await start(calls, { auth: { token: TOKEN } })
    const server = ['--server', daemon.url!]
    const reconciled = await imagebot(['reconcile', '--image', 'acme/app', ...server, '--token', TOKEN])
    expect(reconciled).toMatchObject({
      code: 0,
      stdout: `queued 1 scan(s): ${APP}\nqueued 1 update(s): ${REPO}\n`,
    })
    await updateOf(calls, REPO)

    const suspended = await imagebot(['suspend', '--repo', REPO, ...server], { IMAGEBOT_TOKEN: TOKEN })
    expect(suspended).toMatchObject({ code: 0, stdout: `${REPO}: suspended\n` })
    expect(await daemon.suspension.isSuspended(REPO)).toBe(true)
    expect((await imagebot(['resume', '--repo', REPO, ...server, '--token', TOKEN])).code).toBe(0)
    expect(await daemon.suspension.isSuspended(REPO)).toBe(false)

    const denied = await imagebot(['reconcile', ...server])
    expect(denied.code).toBe(2)
    expect(denied.stderr).toContain('401 authorization required')
    const unknown = await imagebot([
      'suspend',
      '--repo',
      'http://x.example/r.git',
      ...server,
      '--token',
      TOKEN,
    ])
    expect(unknown).toMatchObject({
      code: 2,
      stderr: 'imagebot: 404 http://x.example/r.git is not a configured repository\n',
    })
    const closed = await imagebot(['reconcile', '--server', 'http://127.0.0.1:1'])
    expect(closed.code).toBe(1)
    expect(closed.stderr).toContain('not reachable')
    expect((await imagebot(['suspend', ...server])).code).toBe(2) // --repo is required
  }, 120_000) // seven CLI processes, each starting node

  it('reconciles one image, one repository or everything by queueing scans and updates', async () => {
    const calls: Calls = { scans: [], updates: [] }
    const daemon = await start(calls)
    await waitFor(() => calls.scans.length === 2, 'the first scheduled scans')
    calls.scans.length = 0
    const byImage = await api(daemon.url!, 'reconcile', { image: 'acme/app' })
    expect(byImage.status).toBe(200)
    expect(await byImage.json()).toEqual({ scans: [APP], updates: [REPO] })
    await waitFor(() => calls.updates.some((u) => u.repo === REPO), 'the update of the image’s repository')
    expect(calls.scans).toContain(APP)

    const all = (await (await api(daemon.url!, 'reconcile', {})).json()) as { updates: string[] }
    expect(all.updates.sort()).toEqual([REPO, OTHER].sort())
    await waitFor(() => calls.updates.some((u) => u.repo === OTHER), 'the other repository’s update')

    const unknown = await api(daemon.url!, 'reconcile', { repo: 'http://127.0.0.1:1/nope.git' })
    expect(unknown.status).toBe(404)
    expect((await api(daemon.url!, 'reconcile', { image: 'acme/unused' })).status).toBe(404)
    expect((await api(daemon.url!, 'reconcile', { branch: 'main' })).status).toBe(400)
    const form = await fetch(`${daemon.url}/api/reconcile`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'repo=x',
    })
    expect(form.status).toBe(400)
  })

  it('a suspended repository is decided and shown but never written, across a restart', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'imagebot-steer-'))
    stops.push(() => rm(stateDir, { recursive: true, force: true }))
    const calls: Calls = { scans: [], updates: [] }
    let daemon = await start(calls, { stateDir })
    expect(await (await api(daemon.url!, 'suspend', { repo: REPO })).json()).toEqual({
      repo: REPO,
      suspended: true,
    })
    calls.updates.length = 0
    await api(daemon.url!, 'reconcile', { repo: REPO })
    expect(await updateOf(calls, REPO)).toEqual({ repo: REPO, dryRun: true })
    const page = await (await fetch(`${daemon.url}/`)).text()
    expect(page).toContain('suspended</span>')
    expect(page).toContain('acme/app:1.1.0')

    await stops.pop()!()
    daemon = await start(calls, { stateDir })
    calls.updates.length = 0
    await api(daemon.url!, 'reconcile', { repo: REPO })
    expect(await updateOf(calls, REPO)).toEqual({ repo: REPO, dryRun: true })

    await api(daemon.url!, 'resume', { repo: REPO })
    calls.updates.length = 0
    await api(daemon.url!, 'reconcile', { repo: REPO })
    expect(await updateOf(calls, REPO)).toEqual({ repo: REPO, dryRun: false })
    expect((await api(daemon.url!, 'suspend', {})).status).toBe(400)
  })

  it('keeps a suspension in Redis across a restart', async () => {
    const redis = await startRedis()
    stops.push(() => redis.stop())
    const calls: Calls = { scans: [], updates: [] }
    const first = await start(calls, { backend: { redisUrl: redis.url } })
    await api(first.url!, 'suspend', { repo: OTHER })
    await stops.pop()!()
    const second = await start(calls, { backend: { redisUrl: redis.url } })
    await api(second.url!, 'reconcile', { repo: OTHER })
    expect(await updateOf(calls, OTHER)).toEqual({ repo: OTHER, dryRun: true })
    expect(await (await fetch(`${second.url}/`)).text()).toContain('acme/app:1.1.0')
  })

  it('server.auth guards the page, /status and /api; probes and webhooks stay open', async () => {
    const daemon = await start({ scans: [], updates: [] }, { auth: { token: TOKEN } })
    const bearer = { authorization: `Bearer ${TOKEN}` }
    for (const path of ['/', '/?state=ok', '/status']) {
      const denied = await fetch(`${daemon.url}${path}`)
      expect(denied.status).toBe(401)
      expect(denied.headers.get('www-authenticate')).toContain('Bearer')
      expect((await fetch(`${daemon.url}${path}`, { headers: bearer })).status).toBe(200)
    }
    expect((await api(daemon.url!, 'reconcile', {})).status).toBe(401)
    expect((await api(daemon.url!, 'reconcile', {}, { authorization: 'Bearer wrong' })).status).toBe(401)
    expect((await api(daemon.url!, 'reconcile', {}, bearer)).status).toBe(200)
    expect((await fetch(`${daemon.url}/healthz`)).status).toBe(200)
    // No generic webhook is configured: the answer is the webhook's own 404, not an auth challenge.
    expect((await fetch(`${daemon.url}/hooks/generic`, { method: 'POST', body: '{}' })).status).toBe(404)
    const page = await fetch(`${daemon.url}/`, { headers: bearer })
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
  })

  it('basic credentials work for a browser', async () => {
    const auth = { username: 'ops', password: 'basic-password-0123' }
    const daemon = await start({ scans: [], updates: [] }, { auth })
    const basic = (user: string, pass: string) => ({
      authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`,
    })
    const denied = await fetch(`${daemon.url}/`)
    expect(denied.headers.get('www-authenticate')).toContain('Basic')
    expect((await fetch(`${daemon.url}/`, { headers: basic('ops', 'wrong') })).status).toBe(401)
    expect((await fetch(`${daemon.url}/`, { headers: basic('ops', auth.password) })).status).toBe(200)
  })

  it('without server.auth, /api answers loopback clients only', async () => {
    expect(isLoopback('127.0.0.1')).toBe(true)
    expect(isLoopback('::ffff:127.0.0.5')).toBe(true)
    expect(isLoopback('::1')).toBe(true)
    expect(isLoopback('10.0.0.7')).toBe(false)
    expect(isLoopback('::ffff:192.168.1.2')).toBe(false)
    const external = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)
    if (!external) return // a machine with loopback only cannot reach itself any other way
    const daemon = await start({ scans: [], updates: [] }, { listen: '0.0.0.0:0' })
    const port = new URL(daemon.url!).port
    const remote = await api(`http://${external.address}:${port}`, 'reconcile', {})
    expect(remote.status).toBe(403)
    expect((await fetch(`http://${external.address}:${port}/`)).status).toBe(200)
    expect((await api(`http://127.0.0.1:${port}`, 'reconcile', {})).status).toBe(200)
  })
})
