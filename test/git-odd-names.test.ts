// Issue 12 §2: a committed file whose name isomorphic-git refuses (a backslash, legal in git on Linux, or a
// `.git` look-alike) must not block the repository. Before, every run failed with "contains unsafe character
// sequences", the clone was deleted and made again, forever. Now: a file the bot does not need is skipped
// with a warning; a needed one (an annotated manifest) is reported; the other files still update; the odd
// entries stay byte-identical in the bot's commit; and the clone is kept from run to run.
// The odd commit is made with plain git plumbing (hash-object, mktree, commit-tree) in the bare repository
// the real git http-backend serves.
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/index.js'
import { createClient } from '../src/run/observer.js'
import { runCycle } from '../src/run/once.js'
import type { GitTestServer } from './support/git-server.js'
import { gitopsHelmFiles } from './support/gitops-helm.js'
import { CI_TAGS, REPO, type Scenario, startScenario } from './support/scenario.js'

let scenario: Scenario | undefined
afterEach(async () => {
  await scenario?.stop()
  scenario = undefined
})

interface OddFile {
  /** A top-level directory of the repository (created when absent). */
  dir: string
  /** The entry's name inside it, exactly as git stores it. */
  name: string
  content: string
  /** Default 100644; git accepts modes isomorphic-git cannot write back (e.g. 101644). */
  mode?: string
  /** Nests the file one level deeper, in a directory with this name. */
  subdir?: string
}

/** Adds entries git accepts and isomorphic-git refuses, as a human commit on main. */
async function commitOddFiles(git: GitTestServer, files: OddFile[]): Promise<void> {
  const run = (args: string[], stdin?: string) => git.git(REPO, args, stdin)
  const entries = (tree: string) =>
    run(['ls-tree', '-z', tree])
      .then((out) => out.split('\0').filter(Boolean))
      .catch(() => [] as string[])
  const rootEntries = await entries('refs/heads/main')
  for (const file of files) {
    const blob = (await run(['hash-object', '-w', '--stdin'], file.content)).trim()
    let entry = `${file.mode ?? '100644'} blob ${blob}\t${file.name}`
    if (file.subdir) {
      const sub = (await run(['mktree', '-z'], `${entry}\0`)).trim()
      entry = `040000 tree ${sub}\t${file.subdir}`
    }
    const existing = rootEntries.find((line) => line.endsWith(`\t${file.dir}`))
    const inside = existing ? await entries(existing.split(/\s/)[2]!) : []
    const dirTree = (await run(['mktree', '-z'], `${[...inside, entry].join('\0')}\0`)).trim()
    const replaced = `040000 tree ${dirTree}\t${file.dir}`
    if (existing) rootEntries[rootEntries.indexOf(existing)] = replaced
    else rootEntries.push(replaced)
  }
  const root = (await run(['mktree', '-z'], `${rootEntries.join('\0')}\0`)).trim()
  const parent = (await run(['rev-parse', 'refs/heads/main'])).trim()
  const commit = (
    await run([
      '-c',
      'user.name=Human',
      '-c',
      'user.email=h@example.test',
      'commit-tree',
      root,
      '-p',
      parent,
      '-m',
      'odd names',
    ])
  ).trim()
  await run(['update-ref', 'refs/heads/main', commit])
}

async function once(s: Scenario) {
  const config = await loadConfig(s.configPath, {})
  return runCycle(config, createClient(config))
}

/** The annotated dev release, under a name isomorphic-git refuses: the bot needs it but cannot touch it. */
const neededOdd = gitopsHelmFiles()['releases/dev/podinfo.yaml']!

describe('file names isomorphic-git refuses', () => {
  it('skips unneeded ones with a warning, reports a needed one, updates the rest, keeps the clone', async () => {
    scenario = await startScenario()
    await scenario.pushTags(CI_TAGS)
    await commitOddFiles(scenario.git, [
      { dir: 'docs', name: 'a\\b.md', content: '# notes\n' },
      { dir: 'docs', name: 'x', subdir: '.GIT', content: '[core]\n' },
      { dir: 'releases', name: 'odd\\podinfo.yaml', content: neededOdd },
    ])
    const oddBefore = (await scenario.git.lsTree(REPO, 'main')).filter(
      (entry) => entry.path.includes('\\') || entry.path.includes('.GIT'),
    )
    expect(oddBefore.map((entry) => entry.path).sort()).toEqual([
      'docs/.GIT/x',
      'docs/a\\b.md',
      'releases/odd\\podinfo.yaml',
    ])

    const first = await once(scenario)
    const repository = first.report.repositories[0]!
    // The three releases the scenario expects still update, in one commit.
    expect(repository.updates).toHaveLength(3)
    expect(repository.commit).toEqual(expect.any(String))
    const errors = repository.errors.filter((error) => error.severity !== 'warning')
    expect(errors.map((error) => error.file)).toEqual(['releases/odd\\podinfo.yaml'])
    expect(errors[0]!.message).toContain('git refuses this file name')
    const warnings = repository.errors
      .filter((error) => error.severity === 'warning')
      .map((error) => error.file)
    expect(warnings.sort()).toEqual(['docs/.GIT', 'docs/a\\b.md'])

    // The bot's commit carries the odd entries over untouched (same blob, same mode).
    const oddAfter = (await scenario.git.lsTree(REPO, 'main')).filter(
      (entry) => entry.path.includes('\\') || entry.path.includes('.GIT'),
    )
    expect(oddAfter).toEqual(oddBefore)
    expect(await scenario.git.git(REPO, ['fsck', '--no-dangling'])).toBeDefined()

    // The next run reuses the same clone (never deleted and re-made) and finds nothing new to do.
    const state = join(scenario.dir, 'state', 'git')
    const clones = async () => (await readdir(state)).filter((name) => !name.endsWith('.lock'))
    const [clone] = await clones()
    const created = (await stat(join(state, clone!, '.git'))).birthtimeMs
    const second = await once(scenario)
    expect(second.report.repositories[0]!.commit).toBeUndefined()
    expect(
      second.report.repositories[0]!.errors.filter((error) => error.severity !== 'warning'),
    ).toHaveLength(1)
    expect(await clones()).toEqual([clone])
    expect((await stat(join(state, clone!, '.git'))).birthtimeMs).toBe(created)
  }, 60_000)

  // isomorphic-git's writeTree refused this mode ("Could not understand file mode"), so no commit could be made
  // in such a repository; trees are now written by src/git/loose-objects.ts, which keeps every mode as it is.
  it('carries an entry with a legacy file mode over untouched and still commits', async () => {
    scenario = await startScenario()
    await scenario.pushTags(CI_TAGS)
    await commitOddFiles(scenario.git, [
      { dir: 'releases', name: 'legacy-mode', content: 'x\n', mode: '101644' },
    ])
    // ls-tree shows modes canonicalised (100644): the raw tree object holds what was written.
    const legacy = async () => {
      const raw = await scenario!.git.git(REPO, ['cat-file', 'tree', 'refs/heads/main:releases'])
      return raw.match(/\d+ legacy-mode\0/)?.[0]
    }
    const before = await legacy()
    expect(before).toBe('101644 legacy-mode\0')
    const repository = (await once(scenario)).report.repositories[0]!
    expect(repository.errors.filter((error) => error.severity !== 'warning')).toEqual([])
    expect(repository.updates).toHaveLength(3)
    expect(repository.commit).toBe(await scenario.git.head(REPO, 'main'))
    expect(await legacy()).toBe(before)
  }, 60_000)

  it('reports a failure that a fresh clone does not cure, instead of re-cloning run after run', async () => {
    scenario = await startScenario()
    await scenario.pushTags(CI_TAGS)
    // A head commit git stores but isomorphic-git cannot read (an author line without an email), made with
    // plumbing as a broken tool might have pushed it.
    const run = (args: string[], stdin?: string) => scenario!.git.git(REPO, args, stdin)
    const head = (await run(['rev-parse', 'refs/heads/main'])).trim()
    const tree = (await run(['rev-parse', 'refs/heads/main^{tree}'])).trim()
    const who = 'Human without an email 1700000000 +0000'
    const body = `tree ${tree}\nparent ${head}\nauthor ${who}\ncommitter ${who}\n\nodd\n`
    const odd = (await run(['hash-object', '-t', 'commit', '--literally', '-w', '--stdin'], body)).trim()
    await run(['update-ref', 'refs/heads/main', odd])
    const state = join(scenario.dir, 'state', 'git')
    const cloneDir = async () => {
      const [clone] = (await readdir(state)).filter((name) => !/\.(lock|reclone-cause)$|\.tmp-/.test(name))
      return join(state, clone!, '.git')
    }

    const first = (await once(scenario)).report.repositories[0]!
    expect(first.commit).toBeUndefined()
    const detail = first.errors.map((error) => error.message).join('\n')
    expect(detail).toMatch(/^syncing http:\/\/127\.0\.0\.1:\d+\/gitops\.git: \S/)

    // One fresh clone is tried (the second run); the same failure on it is reported as being in the
    // repository, and from then on the clone is kept (before, it was deleted and made again on every run).
    const clonesMade = new Set<number>()
    for (let attempt = 0; attempt < 3; attempt++) {
      const again = (await once(scenario)).report.repositories[0]!
      const message = again.errors.map((error) => error.message).join('\n')
      if (attempt > 0) expect(message).toContain('the same error came back after a fresh clone')
      clonesMade.add((await stat(await cloneDir())).birthtimeMs)
    }
    expect(clonesMade.size).toBe(1)
  }, 60_000)
})
