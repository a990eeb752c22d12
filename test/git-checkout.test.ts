// Clone, read, commit and push against a real smart-HTTP git server, checked with the git CLI.
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigRepoCheckout, type SkipReason } from '../src/git/index.js'
import { GitTestServer } from './support/git-server.js'

const bot = { name: 'imagebot', email: 'imagebot@example.test' }
const seed = {
  'README.md': '# config\n',
  'apps/api.yaml': '\uFEFFimage: ghcr.io/acme/api:1.0.0 # {"$imagepolicy": "x"}\r\n',
  'apps/web.yaml': 'image: ghcr.io/acme/web:2.0.0\n',
  'apps/nested/deep.yaml': 'image: nginx:1.25\n',
  'apps/latin1.yaml': { bytes: Buffer.from('caf\xe9: 1\n', 'latin1') },
  'apps/big.yaml': `image: x\n${'#'.repeat(5000)}\n`,
  'apps/link.yaml': { symlinkTo: 'web.yaml' },
  'apps/vendor': { submodule: '1234567890abcdef1234567890abcdef12345678' },
  'other/ignored.yaml': 'image: ignored:1\n',
  'scripts/deploy.sh': { text: '#!/bin/sh\necho deploy\n', executable: true },
}

let server: GitTestServer
let stateDir: string

beforeAll(async () => {
  server = await GitTestServer.start()
  stateDir = await mkdtemp(join(tmpdir(), 'imagebot-git-state-'))
})

afterAll(async () => {
  await server?.close()
  await rm(stateDir, { recursive: true, force: true })
})

async function checkoutOf(name: string, files: Parameters<GitTestServer['createBareRepo']>[1] = seed) {
  await server.createBareRepo(name, files)
  return ConfigRepoCheckout.open(stateDir, { url: server.repoUrl(name), branch: 'main' })
}

describe('ConfigRepoCheckout reading', () => {
  it('clones and reads files under prefixes, skipping links, submodules, large and non-UTF-8 files', async () => {
    const checkout = await checkoutOf('read')
    const head = await checkout.sync()
    expect(head).toBe(await server.head('read', 'main'))
    const skipped: [string, SkipReason][] = []
    const files = await checkout.readFiles(head, {
      prefixes: ['./apps/'],
      maxBytes: 4096,
      onSkip: (path, reason) => skipped.push([path, reason]),
    })
    expect(files.map((file) => file.path)).toEqual([
      'apps/api.yaml',
      'apps/nested/deep.yaml',
      'apps/web.yaml',
    ])
    expect(skipped.sort()).toEqual([
      ['apps/big.yaml', 'too-large'],
      ['apps/latin1.yaml', 'not-utf8'],
      ['apps/link.yaml', 'symlink'],
      ['apps/vendor', 'submodule'],
    ])
    const api = files.find((file) => file.path === 'apps/api.yaml')!
    expect(
      Buffer.from(api.text, 'utf8').equals(await server.readBytes('read', 'main', 'apps/api.yaml')),
    ).toBe(true)
    expect(api.text.startsWith('\uFEFF')).toBe(true)
  })

  it('does not look again at a blob the screen rejected before', async () => {
    const checkout = await checkoutOf('screen-memo')
    const head = await checkout.sync()
    const screened: string[] = []
    const screen = (path: string) => {
      screened.push(path)
      return path === 'apps/web.yaml'
    }
    const first = await checkout.readFiles(head, { prefixes: ['apps/'], maxBytes: 4096, screen })
    const firstCount = screened.length
    expect(firstCount).toBeGreaterThan(1)
    const second = await checkout.readFiles(head, { prefixes: ['apps/'], maxBytes: 4096, screen })
    expect(second).toEqual(first)
    expect(screened.slice(firstCount)).toEqual(['apps/web.yaml'])
  })

  it('decodes only files the screen lets through', async () => {
    const checkout = await checkoutOf('screen')
    const head = await checkout.sync()
    const screened: string[] = []
    const files = await checkout.readFiles(head, {
      screen: (path, bytes) => {
        screened.push(path)
        return Buffer.from(bytes).includes('$imagepolicy')
      },
    })
    expect(files.map((file) => file.path)).toEqual(['apps/api.yaml'])
    expect(screened).toContain('other/ignored.yaml')
    expect(screened).not.toContain('apps/link.yaml')
  })
})

describe('ConfigRepoCheckout committing and pushing', () => {
  it('commits one changed file, keeping every other blob and mode, and pushes it', async () => {
    const checkout = await checkoutOf('commit')
    const head = await checkout.sync()
    const before = await server.lsTree('commit', 'main')
    const newApi = '\uFEFFimage: ghcr.io/acme/api:1.1.0 # {"$imagepolicy": "x"}\r\n'
    const newScript = '#!/bin/sh\necho deploy v2\n'
    const files = new Map([
      ['apps/api.yaml', newApi],
      ['scripts/deploy.sh', newScript],
      ['apps/new/added.yaml', 'added: true\n'],
    ])
    const commit = await checkout.commitFiles(head, files, bot, 'Auto-release ghcr.io/acme/api:1.1.0')
    expect(commit).toMatch(/^[0-9a-f]{40}$/)
    expect(await server.head('commit', 'main')).toBe(head) // committing alone does not touch the remote

    expect(await checkout.push(commit!)).toEqual({ ok: true, commit, branch: 'main' })
    const [entry] = await server.log('commit', 'main')
    expect(entry).toMatchObject({
      oid: commit,
      parents: [head],
      authorName: 'imagebot',
      committerName: 'imagebot',
    })
    expect(entry?.message).toBe('Auto-release ghcr.io/acme/api:1.1.0\n')
    expect(
      (await server.readBytes('commit', 'main', 'apps/api.yaml')).equals(Buffer.from(newApi, 'utf8')),
    ).toBe(true)

    const after = await server.lsTree('commit', 'main')
    const changed = new Set(files.keys())
    expect(after.filter((e) => !changed.has(e.path))).toEqual(before.filter((e) => !changed.has(e.path)))
    expect(after.find((e) => e.path === 'scripts/deploy.sh')?.mode).toBe('100755')
    expect(after.find((e) => e.path === 'apps/new/added.yaml')?.mode).toBe('100644')
    expect(await server.git('commit', ['fsck', '--strict', '--no-dangling'])).toBe('')
  })

  it('never makes an empty commit', async () => {
    const checkout = await checkoutOf('empty')
    const head = await checkout.sync()
    const same = new Map([['apps/web.yaml', 'image: ghcr.io/acme/web:2.0.0\n']])
    expect(await checkout.commitFiles(head, same, bot, 'nothing')).toBeNull()
    expect(await checkout.commitFiles(head, new Map(), bot, 'nothing')).toBeNull()
  })

  it('refuses paths that escape the tree or replace a symlink, directory or submodule', async () => {
    const checkout = await checkoutOf('paths')
    const head = await checkout.sync()
    for (const path of [
      '../x.yaml',
      '/abs.yaml',
      'a//b.yaml',
      '.git/config',
      'apps/link.yaml',
      'apps',
      'apps/vendor',
    ]) {
      await expect(checkout.commitFiles(head, new Map([[path, 'x']]), bot, 'bad')).rejects.toMatchObject({
        code: 'GIT',
        kind: 'config',
        transient: false,
      })
    }
  })

  it('fetches commits that landed after the clone (shallow fetch of a moved branch) and builds on them', async () => {
    const checkout = await checkoutOf('moved')
    await checkout.sync()
    await server.commit('moved', 'main', { 'apps/web.yaml': 'image: ghcr.io/acme/web:2.1.0\n' })
    const human = await server.commit('moved', 'main', { 'apps/nested/deep.yaml': 'image: nginx:1.26\n' })
    const head = await checkout.sync()
    expect(head).toBe(human)
    const [web] = await checkout.readFiles(head, { prefixes: ['apps/web.yaml'] })
    expect(web?.text).toBe('image: ghcr.io/acme/web:2.1.0\n')
    const commit = await checkout.commitFiles(
      head,
      new Map([['apps/web.yaml', 'image: ghcr.io/acme/web:2.2.0\n']]),
      bot,
      'up',
    )
    expect(await checkout.push(commit!)).toMatchObject({ ok: true })
    expect((await server.log('moved', 'main')).map((e) => e.oid).slice(0, 2)).toEqual([commit, human])
    expect(await checkout.sync()).toBe(commit) // our own pushed commit: nothing to fetch
  })
})

describe('ConfigRepoCheckout housekeeping', () => {
  it('starts from a fresh clone once fetches have piled up more packs than maxPacks', async () => {
    await server.createBareRepo('packs', seed)
    const checkout = await ConfigRepoCheckout.open(
      stateDir,
      { url: server.repoUrl('packs'), branch: 'main' },
      { maxPacks: 2 },
    )
    await checkout.sync()
    const packDir = join(checkout.dir, '.git', 'objects', 'pack')
    const counts: number[] = []
    for (const version of [1, 2, 3, 4]) {
      const human = await server.commit('packs', 'main', { 'README.md': `# v${version}\n` })
      expect(await checkout.sync()).toBe(human)
      counts.push((await readdir(packDir)).filter((name) => name.endsWith('.pack')).length)
    }
    expect(counts).toEqual([2, 3, 1, 2])
    const head = checkout.lastSync!.base
    expect(await checkout.readFiles(head, { prefixes: ['README.md'] })).toEqual([
      { path: 'README.md', text: '# v4\n' },
    ])
  })
})

/** Pushes `commit`, checking that the push took a single request to the git server. */
async function pushCountingRequests(checkout: ConfigRepoCheckout, commit: string) {
  const before = server.requests
  const outcome = await checkout.push(commit)
  expect(server.requests - before).toBe(1)
  return outcome
}

describe('ConfigRepoCheckout pushing on the head it knows', () => {
  it('pushes a commit built on the synced head in one request, without listing refs first', async () => {
    const checkout = await checkoutOf('one-request')
    const head = await checkout.sync()
    const commit = await checkout.commitFiles(
      head,
      new Map([['apps/web.yaml', 'image: web:3\n']]),
      bot,
      'bot',
    )
    expect(await pushCountingRequests(checkout, commit!)).toEqual({ ok: true, commit, branch: 'main' })
    expect(await server.head('one-request', 'main')).toBe(commit)
    expect(await server.git('one-request', ['fsck', '--strict', '--no-dangling'])).toBe('')
  })

  it('carries every object of a chain of commits (one per automation) in that request', async () => {
    const checkout = await checkoutOf('chain')
    const head = await checkout.sync()
    const first = await checkout.commitFiles(head, new Map([['apps/web.yaml', 'image: web:3\n']]), bot, 'one')
    const second = await checkout.commitFiles(
      first!,
      new Map([['apps/nested/deep.yaml', 'image: nginx:1.27\n']]),
      bot,
      'two',
    )
    expect(await pushCountingRequests(checkout, second!)).toMatchObject({ ok: true, commit: second })
    expect((await server.log('chain', 'main')).map((entry) => entry.oid).slice(0, 3)).toEqual([
      second,
      first,
      head,
    ])
    expect(await server.readFile('chain', 'main', 'apps/web.yaml')).toBe('image: web:3\n')
    expect(await server.git('chain', ['fsck', '--strict', '--no-dangling'])).toBe('')
  })

  it('builds the next push on its own last push, still in one request', async () => {
    const checkout = await checkoutOf('after-push')
    const head = await checkout.sync()
    const first = await checkout.commitFiles(head, new Map([['apps/web.yaml', 'image: web:3\n']]), bot, 'one')
    await checkout.push(first!)
    const second = await checkout.commitFiles(
      first!,
      new Map([['apps/web.yaml', 'image: web:4\n']]),
      bot,
      'two',
    )
    expect(await pushCountingRequests(checkout, second!)).toMatchObject({ ok: true })
    expect(await server.head('after-push', 'main')).toBe(second)
  })
})

describe('ConfigRepoCheckout rejected pushes', () => {
  // Flux v2 force-pushes its branch; imagebot never does: the server's compare-and-swap on the head this
  // checkout knows turns a human commit in between into a rejected push, which the run syncs and redoes.
  it('reports a branch that moved between sync and push as rejected, leaving the human commit', async () => {
    const checkout = await checkoutOf('race-client')
    const head = await checkout.sync()
    const human = await server.commit('race-client', 'main', { 'README.md': '# changed by a human\n' })
    const commit = await checkout.commitFiles(
      head,
      new Map([['apps/web.yaml', 'image: web:3\n']]),
      bot,
      'bot',
    )
    const outcome = await checkout.push(commit!)
    expect(outcome).toMatchObject({ ok: false, rejected: true })
    expect(outcome.ok ? '' : outcome.reason).toMatch(/push to main rejected by the server/)
    expect(await server.head('race-client', 'main')).toBe(human)

    const retried = await retryOnNewHead(checkout, human)
    expect(await checkout.push(retried)).toMatchObject({ ok: true })
    expect(await server.readFile('race-client', 'main', 'README.md')).toBe('# changed by a human\n')
  })

  it.each([
    ['declined by the pre-receive hook', true, /pre-receive hook declined/],
    ['lost on the server compare-and-swap', false, /rejected by the server/],
  ])('reports a push %s as rejected (server-side GitPushError)', async (_label, reject, reason) => {
    const name = reject ? 'race-hook' : 'race-cas'
    const checkout = await checkoutOf(name)
    const head = await checkout.sync()
    await server.installRaceHook(name, 'main', { 'README.md': '# human won\n' }, { reject })
    const commit = await checkout.commitFiles(
      head,
      new Map([['apps/web.yaml', 'image: web:3\n']]),
      bot,
      'bot',
    )
    const outcome = await checkout.push(commit!)
    expect(outcome).toMatchObject({ ok: false, rejected: true })
    expect(outcome.ok ? '' : outcome.reason).toMatch(reason)
    const human = (await server.head(name, 'main'))!
    expect((await server.log(name, 'main'))[0]?.subject).toBe('Human change during the bot push')

    const retried = await retryOnNewHead(checkout, human)
    expect(await checkout.push(retried)).toMatchObject({ ok: true })
    expect((await server.log(name, 'main')).map((e) => e.oid).slice(0, 2)).toEqual([retried, human])
  })
})

/** What the pipeline does after a rejected push: sync to the new head and recompute the change there. */
async function retryOnNewHead(checkout: ConfigRepoCheckout, expectedHead: string): Promise<string> {
  const head = await checkout.sync()
  expect(head).toBe(expectedHead)
  const commit = await checkout.commitFiles(
    head,
    new Map([['apps/web.yaml', 'image: web:3\n']]),
    bot,
    'bot, again',
  )
  return commit!
}
