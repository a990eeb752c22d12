// PR flows: the bot reads `branch` and pushes to `pushBranch`, never forcing.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigRepoCheckout, GitError } from '../src/git/index.js'
import { GitTestServer } from './support/git-server.js'

const bot = { name: 'imagebot', email: 'imagebot@example.test' }
const PUSH = 'imagebot/updates'
let server: GitTestServer
let stateDir: string

beforeAll(async () => {
  server = await GitTestServer.start()
  stateDir = await mkdtemp(join(tmpdir(), 'imagebot-git-pr-'))
})

afterAll(async () => {
  await server?.close()
  await rm(stateDir, { recursive: true, force: true })
})

async function prCheckout(name: string) {
  await server.createBareRepo(name, { 'apps/a.yaml': 'image: a:1\n', 'apps/b.yaml': 'image: b:1\n' })
  return ConfigRepoCheckout.open(stateDir, { url: server.repoUrl(name), branch: 'main', pushBranch: PUSH })
}

/** One bot run: sync, change one file, commit, push. */
async function botRun(checkout: ConfigRepoCheckout, path: string, text: string) {
  const base = await checkout.sync()
  const commit = await checkout.commitFiles(base, new Map([[path, text]]), bot, `bot: ${path}`)
  return { base, commit: commit!, outcome: await checkout.push(commit!) }
}

describe('pushBranch', () => {
  it('creates the push branch from the branch head, leaves the branch alone, then stacks on it', async () => {
    const checkout = await prCheckout('pr-stack')
    const mainHead = (await server.head('pr-stack', 'main'))!
    const first = await botRun(checkout, 'apps/a.yaml', 'image: a:2\n')
    expect(first.base).toBe(mainHead)
    expect(checkout.lastSync).toEqual({ branchHead: mainHead, base: mainHead })
    expect(first.outcome).toEqual({ ok: true, commit: first.commit, branch: PUSH })
    expect(await server.head('pr-stack', 'main')).toBe(mainHead)

    const second = await botRun(checkout, 'apps/b.yaml', 'image: b:2\n')
    expect(second.base).toBe(first.commit)
    expect(checkout.lastSync).toEqual({ branchHead: mainHead, pushHead: first.commit, base: first.commit })
    expect(second.outcome).toMatchObject({ ok: true })
    expect((await server.log('pr-stack', PUSH)).map((entry) => entry.oid)).toEqual([
      second.commit,
      first.commit,
      mainHead,
    ])
    expect(await server.readFile('pr-stack', PUSH, 'apps/a.yaml')).toBe('image: a:2\n')
  })

  it('builds on the branch head again once the push branch was merged into it', async () => {
    const checkout = await prCheckout('pr-merged')
    const first = await botRun(checkout, 'apps/a.yaml', 'image: a:2\n')
    const mainHead = (await server.head('pr-merged', 'main'))!
    const merge = (
      await server.git('pr-merged', [
        ...['-c', 'user.name=Human', '-c', 'user.email=human@example.test'],
        ...['commit-tree', `${first.commit}^{tree}`, '-p', mainHead, '-p', first.commit, '-m', 'Merge PR'],
      ])
    ).trim()
    await server.git('pr-merged', ['update-ref', 'refs/heads/main', merge])
    const human = await server.commit('pr-merged', 'main', { 'apps/b.yaml': 'image: b:9\n' })

    const next = await botRun(checkout, 'apps/a.yaml', 'image: a:3\n')
    expect(next.base).toBe(human)
    expect(next.outcome).toMatchObject({ ok: true, branch: PUSH })
    expect((await server.log('pr-merged', PUSH))[0]?.parents).toEqual([human])
  })

  it('reports a push branch that diverged from the branch as a permanent error, never forcing', async () => {
    const checkout = await prCheckout('pr-diverged')
    const first = await botRun(checkout, 'apps/a.yaml', 'image: a:2\n')
    await server.commit('pr-diverged', 'main', { 'apps/b.yaml': 'image: b:9\n' })
    const error = await checkout.sync().then(
      () => undefined,
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(GitError)
    expect(error).toMatchObject({ kind: 'diverged', transient: false })
    expect((error as GitError).message).toMatch(/"imagebot\/updates" .* has diverged from "main".*delete it/)
    expect(await server.head('pr-diverged', PUSH)).toBe(first.commit)
  })

  it('reports a push branch that moved between sync and push as rejected', async () => {
    const checkout = await prCheckout('pr-moved')
    const base = await checkout.sync()
    await server.git('pr-moved', ['update-ref', `refs/heads/${PUSH}`, base])
    const human = await server.commit('pr-moved', PUSH, { 'apps/b.yaml': 'image: b:5\n' })
    const commit = await checkout.commitFiles(base, new Map([['apps/a.yaml', 'image: a:2\n']]), bot, 'bot')
    expect(await checkout.push(commit!)).toMatchObject({ ok: false, rejected: true })
    expect(await server.head('pr-moved', PUSH)).toBe(human)

    const retry = await botRun(checkout, 'apps/a.yaml', 'image: a:2\n')
    expect(retry.base).toBe(human)
    expect(retry.outcome).toMatchObject({ ok: true })
  })
})
