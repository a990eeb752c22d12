// The pack writer checked by git itself: `git index-pack` must accept the pack and find each object under the
// id git gives it, for sizes on both sides of each size-header byte (4 bits, then 7 bits per byte).
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { packfile } from './pack-write.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imagebot-pack-'))
  execFileSync('git', ['init', '--quiet', '--bare', dir])
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const git = (args: string[], input?: Buffer) =>
  execFileSync('git', args, { cwd: dir, ...(input && { input }) }).toString('utf8')

it.each([0, 15, 16, 2047, 2048, 262_143, 262_144, 1_000_003])(
  'packs a %i-byte blob that git index-pack reads back unchanged',
  async (size) => {
    const content = Buffer.alloc(size, 'imagebot ')
    const pack = join(dir, 'objects', 'pack', `blob-${size}.pack`)
    await writeFile(pack, packfile([{ type: 'blob', content }]))
    git(['index-pack', pack])
    const oid = git(['hash-object', '--stdin'], content).trim()
    expect(git(['verify-pack', '-v', pack])).toContain(`${oid} blob   ${size}`)
  },
)

it('packs a commit with its tree and blob, which git can then read as that commit', async () => {
  const blob = Buffer.from('image: ghcr.io/acme/web:2.0.1\n')
  const blobOid = git(['hash-object', '--stdin'], blob).trim()
  const tree = Buffer.concat([Buffer.from('100644 web.yaml\0'), Buffer.from(blobOid, 'hex')])
  const treeOid = git(['hash-object', '-t', 'tree', '--stdin'], tree).trim()
  const commit = Buffer.from(
    `tree ${treeOid}\nauthor bot <bot@example.test> 0 +0000\ncommitter bot <bot@example.test> 0 +0000\n\nbot\n`,
  )
  const commitOid = git(['hash-object', '-t', 'commit', '--stdin'], commit).trim()
  const pack = join(dir, 'objects', 'pack', 'commit.pack')
  const objects = [
    { type: 'commit' as const, content: commit },
    { type: 'tree' as const, content: tree },
    { type: 'blob' as const, content: blob },
  ]
  await writeFile(pack, packfile(objects))
  git(['index-pack', pack])
  expect(git(['show', `${commitOid}:web.yaml`])).toBe(blob.toString())
  expect(git(['fsck', '--strict', '--no-dangling', '--connectivity-only'])).toBe('')
})
