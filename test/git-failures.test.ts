// Failure handling against real servers: auth, transient errors, bad settings, and a damaged state dir.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigRepoCheckout, GitError } from '../src/git/index.js'
import { GitTestServer } from './support/git-server.js'

const credentials = { username: 'imagebot', password: 'pa55-w0rd-never-shown' }
const bot = { name: 'imagebot', email: 'imagebot@example.test' }
let server: GitTestServer
let stateRoot: string
let stateCount = 0

beforeAll(async () => {
  server = await GitTestServer.start({ auth: credentials })
  stateRoot = join(tmpdir(), `imagebot-git-fail-${process.pid}-${Date.now()}`)
  await server.createBareRepo('cfg', { 'apps/a.yaml': 'image: a:1\n', 'apps/b.yaml': 'image: b:1\n' })
})

afterAll(async () => {
  await server?.close()
  await rm(stateRoot, { recursive: true, force: true })
})

/** A fresh state dir per test, so tests do not share clones. */
function newStateDir(): string {
  stateCount++
  return join(stateRoot, String(stateCount))
}

/** The GitError a promise rejects with (the test fails if it resolves or rejects with something else). */
async function failure(promise: Promise<unknown>): Promise<GitError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(GitError)
  return error as GitError
}

function syncError(checkout: ConfigRepoCheckout): Promise<GitError> {
  return failure(checkout.sync())
}

function expectNoSecret(error: GitError): void {
  const shown = `${error.message} ${String(error.cause)} ${JSON.stringify(error.toProblem())}`
  expect(shown).not.toContain(credentials.password)
  expect(shown).not.toContain(
    Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64'),
  )
}

describe('authentication', () => {
  it('is a permanent error naming the URL when credentials are missing', async () => {
    const checkout = await ConfigRepoCheckout.open(newStateDir(), {
      url: server.repoUrl('cfg'),
      branch: 'main',
    })
    const error = await syncError(checkout)
    expect(error).toMatchObject({ code: 'GIT', kind: 'auth', transient: false })
    expect(error.message).toContain(server.repoUrl('cfg'))
    expect(error.message).toMatch(/requires credentials/)
  })

  it('is a permanent error without the password when the password is wrong', async () => {
    const wrong = { username: 'imagebot', password: `${credentials.password}-wrong` }
    const url = server.repoUrl('cfg')
    const checkout = await ConfigRepoCheckout.open(newStateDir(), { url, branch: 'main', auth: wrong })
    const error = await syncError(checkout)
    expect(error).toMatchObject({ kind: 'auth', transient: false })
    expect(error.message).toMatch(/credentials were refused/)
    expectNoSecret(error)
    expect(error.message).not.toContain(wrong.password)
  })

  it('takes credentials from the URL, never stores them, and works for clone, push and a wrong-password push', async () => {
    const stateDir = newStateDir()
    const url = server.repoUrl('cfg').replace('http://', `http://imagebot:${credentials.password}@`)
    const checkout = await ConfigRepoCheckout.open(stateDir, { url, branch: 'main' })
    expect(checkout.remote.url).toBe(server.repoUrl('cfg'))
    const head = await checkout.sync()
    const commit = await checkout.commitFiles(head, new Map([['apps/a.yaml', 'image: a:2\n']]), bot, 'up')
    expect(await checkout.push(commit!)).toMatchObject({ ok: true })
    expect(await readFile(join(checkout.dir, '.git', 'config'), 'utf8')).not.toContain(credentials.password)

    const wrongUrl = url.replace(credentials.password, 'nope')
    const wrong = await ConfigRepoCheckout.open(stateDir, { url: wrongUrl, branch: 'main' })
    const next = await checkout.commitFiles(commit!, new Map([['apps/a.yaml', 'image: a:3\n']]), bot, 'up')
    const error = await failure(wrong.push(next!))
    expect(error).toMatchObject({ code: 'GIT', kind: 'auth', transient: false })
  })
})

describe('transient and permanent failures', () => {
  const settings = () => ({ url: server.repoUrl('cfg'), branch: 'main', auth: credentials })

  it('classifies a 5xx as transient and recovers on the next sync', async () => {
    const checkout = await ConfigRepoCheckout.open(newStateDir(), settings())
    server.failNextRequests(1, 503)
    const error = await syncError(checkout)
    expect(error).toMatchObject({ kind: 'server', transient: true })
    expect(error.message).toContain('HTTP 503')
    expect(await checkout.sync()).toBe(await server.head('cfg', 'main'))
  })

  it('classifies a refused connection as transient', async () => {
    const port = await closedPort()
    const url = `http://127.0.0.1:${port}/cfg.git`
    const checkout = await ConfigRepoCheckout.open(newStateDir(), { url, branch: 'main' })
    expect(await syncError(checkout)).toMatchObject({ kind: 'network', transient: true })
  })

  it('reports a missing branch or repository as permanent', async () => {
    const noBranch = await ConfigRepoCheckout.open(newStateDir(), { ...settings(), branch: 'release' })
    const branchError = await syncError(noBranch)
    expect(branchError).toMatchObject({ kind: 'not-found', transient: false })
    expect(branchError.message).toMatch(/branch "release" does not exist/)
    const noRepo = await ConfigRepoCheckout.open(newStateDir(), {
      ...settings(),
      url: server.repoUrl('nothing'),
    })
    expect(await syncError(noRepo)).toMatchObject({ kind: 'not-found', transient: false })
  })

  it.each([
    [{ url: 'git@github.com:acme/config.git', branch: 'main' }, /not a URL|unsupported URL scheme/],
    [{ url: 'ssh://git@github.com/acme/config.git', branch: 'main' }, /unsupported URL scheme/],
    [{ url: 'https://github.com/acme/config.git', branch: 'a..b' }, /invalid branch "a\.\.b"/],
    [
      { url: 'https://u:secret@github.com/acme/config.git', branch: 'x', pushBranch: '-bad' },
      /invalid pushBranch/,
    ],
  ])('rejects bad settings at open: %o', async (bad, message) => {
    const error = await failure(ConfigRepoCheckout.open(newStateDir(), bad))
    expect(error).toMatchObject({ kind: 'config', transient: false })
    expect(error.message).toMatch(message)
    expect(error.message).not.toContain('secret')
  })
})

describe('a damaged state dir', () => {
  const settings = () => ({ url: server.repoUrl('cfg'), branch: 'main', auth: credentials })

  async function syncedCheckout(stateDir: string) {
    const checkout = await ConfigRepoCheckout.open(stateDir, settings())
    await checkout.sync()
    return checkout
  }

  async function expectWorking(stateDir: string) {
    const checkout = await ConfigRepoCheckout.open(stateDir, settings())
    const head = await checkout.sync()
    expect(head).toBe(await server.head('cfg', 'main'))
    const files = await checkout.readFiles(head)
    expect(files.map((file) => file.path)).toEqual(['apps/a.yaml', 'apps/b.yaml'])
  }

  it('recovers from a pack file overwritten with garbage (e.g. a disk error or a killed write)', async () => {
    const stateDir = newStateDir()
    const checkout = await syncedCheckout(stateDir)
    const packDir = join(checkout.dir, '.git', 'objects', 'pack')
    for (const name of await readdir(packDir)) {
      if (name.endsWith('.pack')) await writeFile(join(packDir, name), Buffer.alloc(4096, 0x5a))
    }
    await expectWorking(stateDir)
  })

  it('reports damage found while reading as transient and re-clones on the next sync', async () => {
    const stateDir = newStateDir()
    const head = (await syncedCheckout(stateDir)).lastSync!.base
    const reopened = await ConfigRepoCheckout.open(stateDir, settings())
    const packDir = join(reopened.dir, '.git', 'objects', 'pack')
    for (const name of await readdir(packDir)) {
      if (!name.endsWith('.pack')) continue
      const bytes = await readFile(join(packDir, name))
      bytes.fill(0x5a, bytes.length - 60, bytes.length - 30) // inside the last object, before the trailer
      await writeFile(join(packDir, name), bytes)
    }
    const error = await failure(reopened.readFiles(head))
    expect(error).toMatchObject({ code: 'GIT', kind: 'local', transient: true })
    expect(error.message).toMatch(/re-cloned on the next sync/)
    expect(await reopened.sync()).toBe(head)
    expect((await reopened.readFiles(head)).map((file) => file.path)).toEqual(['apps/a.yaml', 'apps/b.yaml'])
  })

  it('recovers from a clone whose HEAD and objects are gone', async () => {
    const stateDir = newStateDir()
    const checkout = await syncedCheckout(stateDir)
    await writeFile(join(checkout.dir, '.git', 'HEAD'), 'garbage')
    await rm(join(checkout.dir, '.git', 'objects'), { recursive: true })
    await expectWorking(stateDir)
  })

  it('recovers from lost objects behind intact refs (a fetch killed before its pack was written)', async () => {
    const stateDir = newStateDir()
    const checkout = await syncedCheckout(stateDir)
    await rm(join(checkout.dir, '.git', 'objects', 'pack'), { recursive: true })
    await mkdir(join(checkout.dir, '.git', 'objects', 'pack'))
    await expectWorking(stateDir)
  })

  it('removes a half-finished clone left by a killed process', async () => {
    const stateDir = newStateDir()
    const checkout = await syncedCheckout(stateDir)
    const leftover = `${checkout.dir}.tmp-99999-1`
    await mkdir(join(leftover, '.git'), { recursive: true })
    await expectWorking(stateDir)
    expect(await readdir(stateDir)).toEqual([checkout.dir.slice(stateDir.length + 1)])
  })
})

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as { port: number }
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return port
}
