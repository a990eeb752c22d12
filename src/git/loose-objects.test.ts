// Loose objects and tree bytes checked by git itself: `git cat-file` reads what we write, `git mktree` (which
// sorts its input) makes the same tree id from the same entries, and a damaged object is refused.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { objectId, readLooseObject, type TreeLine, treeContent, writeLooseObject } from './loose-objects.js'

let dir: string
const git = (args: string[], input?: string | Buffer) =>
  execFileSync('git', args, { cwd: dir, ...(input !== undefined && { input }) }).toString('utf8')

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imagebot-loose-'))
  execFileSync('git', ['init', '--quiet', dir])
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('loose objects', () => {
  it('writes a blob git reads back, under the id git gives it', async () => {
    const content = Buffer.from('image: ghcr.io/acme/web:2.0.1 # caf\u00e9\n')
    const oid = await writeLooseObject(dir, 'blob', content)
    expect(oid).toBe(git(['hash-object', '--stdin'], content).trim())
    expect(git(['cat-file', '-p', oid])).toBe(content.toString())
    expect(await readLooseObject(dir, oid)).toEqual({ type: 'blob', content })
  })

  it('orders tree entries as git does (a directory sorts as if its name ended in a slash)', async () => {
    const blob = await writeLooseObject(dir, 'blob', Buffer.from('x\n'))
    const sub = await writeLooseObject(
      dir,
      'tree',
      treeContent([{ mode: '100644', path: 'f', oid: blob, type: 'blob' }]),
    )
    const entries: TreeLine[] = [
      { mode: '040000', path: 'a', oid: sub, type: 'tree' },
      { mode: '100644', path: 'a.b', oid: blob, type: 'blob' },
      { mode: '100755', path: 'a-run', oid: blob, type: 'blob' },
      { mode: '120000', path: 'link', oid: blob, type: 'blob' },
      { mode: '100644', path: '\u00e9t\u00e9.yaml', oid: blob, type: 'blob' },
      { mode: '100644', path: 'Z', oid: blob, type: 'blob' },
      { mode: '160000', path: 'vendor', oid: '1234567890abcdef1234567890abcdef12345678', type: 'commit' },
    ]
    const oid = await writeLooseObject(dir, 'tree', treeContent(entries))
    const mktree = entries
      .map((e) => `${e.mode === '040000' ? '040000' : e.mode} ${e.type} ${e.oid}\t${e.path}`)
      .join('\n')
    expect(oid).toBe(git(['mktree', '--missing'], `${mktree}\n`).trim())
    expect(git(['ls-tree', oid]).split('\n')[0]).toBe(`100644 blob ${blob}\tZ`)
  })

  it('answers undefined for an object that is not loose, and refuses a damaged one', async () => {
    expect(await readLooseObject(dir, objectId('blob', Buffer.from('never written')))).toBeUndefined()
    const oid = await writeLooseObject(dir, 'blob', Buffer.from('original\n'))
    const other = execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: dir, input: 'other\n' })
    const otherPath = join(
      dir,
      '.git',
      'objects',
      other.toString().slice(0, 2),
      other.toString().trim().slice(2),
    )
    await writeFile(join(dir, '.git', 'objects', oid.slice(0, 2), oid.slice(2)), readFileSync(otherPath))
    await expect(readLooseObject(dir, oid)).rejects.toThrow(/damaged/)
  })
})
