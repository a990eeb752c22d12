// Write-back on a 5,000-file config repository served over loopback smart HTTP: the first clone, and one bot
// change committed and pushed. Seeding (git fast-import) is not timed.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigRepoCheckout } from '../src/git/index.js'
import { GitTestServer } from '../test/support/git-server.js'
import type { Bench, BenchFigure } from './figure.js'

const FILE_COUNT = 5000
const bot = { name: 'imagebot', email: 'imagebot@example.test' }

function manifest(index: number, tag: string): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: app-${index}`,
    `  namespace: team-${index % 20}`,
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    `        - name: app-${index}`,
    `          image: ghcr.io/acme/app-${index}:${tag} # {"$imagepolicy": "flux-system:app-${index}"}`,
    '',
  ].join('\n')
}

function seedFiles(): Record<string, string> {
  const files: Record<string, string> = {}
  for (let i = 0; i < FILE_COUNT; i++)
    files[`clusters/c${i % 10}/apps/app-${i}/deployment.yaml`] = manifest(i, '1.0.0')
  return files
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = performance.now()
  const value = await work()
  return { value, seconds: (performance.now() - start) / 1000 }
}

function figure(name: string, seconds: number, bound?: number): BenchFigure {
  const value = Math.round(seconds * 1000) / 1000
  return bound === undefined
    ? { name, value, unit: 's' }
    : { name, value, unit: 's', bound: `< ${bound} s`, ok: seconds < bound }
}

export const run: Bench = async () => {
  const server = await GitTestServer.start()
  const stateDir = await mkdtemp(join(tmpdir(), 'imagebot-bench-git-'))
  try {
    await server.createBareRepo('config', seedFiles())
    const checkout = await ConfigRepoCheckout.open(stateDir, {
      url: server.repoUrl('config'),
      branch: 'main',
    })
    const clone = await timed(() => checkout.sync())
    const head = clone.value
    const read = await timed(() => checkout.readFiles(head, { prefixes: ['clusters'] }))
    if (read.value.length !== FILE_COUNT)
      throw new Error(`read ${read.value.length} files, expected ${FILE_COUNT}`)
    const changed = new Map([['clusters/c7/apps/app-4567/deployment.yaml', manifest(4567, '1.0.1')]])
    const commitPush = await timed(async () => {
      const commit = await checkout.commitFiles(
        head,
        changed,
        bot,
        'Auto-release ghcr.io/acme/app-4567:1.0.1',
      )
      const outcome = await checkout.push(commit!)
      if (!outcome.ok) throw new Error(`bench push rejected: ${outcome.reason}`)
    })
    await server.commit('config', 'main', { 'clusters/c0/apps/app-0/deployment.yaml': manifest(0, '1.0.2') })
    const refetch = await timed(() => checkout.sync())
    const idle = await timed(() => checkout.sync())
    return [
      figure(`clone (depth 1, no checkout) of a ${FILE_COUNT}-file repo`, clone.seconds, 2),
      figure('commit + push of one changed file', commitPush.seconds, 1),
      figure(`read all ${FILE_COUNT} files from tree objects`, read.seconds),
      figure('sync after a human commit (shallow fetch)', refetch.seconds),
      figure('sync with nothing new', idle.seconds),
    ]
  } finally {
    await server.close()
    await rm(stateDir, { recursive: true, force: true })
  }
}
