import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readConfigDir } from './read-dir.js'

let base: string
let root: string

function write(path: string, content: string | Buffer): void {
  const full = join(root, path)
  mkdirSync(join(full, '..'), { recursive: true })
  writeFileSync(full, content)
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'imagebot-readdir-'))
  root = join(base, 'repo')
  mkdirSync(root)
  write('a.yaml', '\uFEFFa: 1\r\n')
  write('sub/b.yml', 'b: 2\n')
  write('sub/deeper/c.YAML', 'c: 3\n')
  write('notes.txt', 'not yaml\n')
  write('.git/config.yaml', 'hidden: 1\n')
  write('node_modules/pkg/x.yaml', 'x: 1\n')
  write('big.yaml', `# automated\n${'x'.repeat(5000)}\n`)
  write('latin1.yaml', Buffer.from('# fluxcd.io/automated\nname: caf\xe9\n', 'latin1'))
  write('latin1-plain.yaml', Buffer.from('name: caf\xe9\n', 'latin1'))
  writeFileSync(join(base, 'outside.yaml'), 'secret: 1\n')
  symlinkSync(join(base, 'outside.yaml'), join(root, 'escape.yaml'))
  symlinkSync(join(root, 'sub'), join(root, 'linked'))
  symlinkSync(root, join(root, 'sub/loop'))
})

afterAll(() => {
  rmSync(base, { recursive: true, force: true })
})

describe('readConfigDir', () => {
  it('reads YAML files with relative forward-slash paths, keeping BOM and CRLF', async () => {
    const { files } = await readConfigDir(root, { maxFileBytes: 1000 })
    const paths = files.map((file) => file.path)
    expect(paths).toEqual(['a.yaml', 'latin1-plain.yaml', 'sub/b.yml', 'sub/deeper/c.YAML'])
    expect(files[0]?.text).toBe('\uFEFFa: 1\r\n')
  })

  it('reports escaping symlinks, large files and undecodable annotated files', async () => {
    const { problems } = await readConfigDir(root, { maxFileBytes: 1000 })
    expect(problems.map((problem) => [problem.code, problem.file])).toEqual([
      ['FILE_TOO_LARGE', 'big.yaml'],
      ['SYMLINK_OUTSIDE', 'escape.yaml'],
      ['FILE_READ', 'latin1.yaml'],
    ])
    expect(problems.map((problem) => problem.message).join('\n')).not.toContain(base)
  })

  it('walks only the selected paths', async () => {
    const { files } = await readConfigDir(root, { paths: ['sub/deeper'] })
    expect(files.map((file) => file.path)).toEqual(['sub/deeper/c.YAML'])
  })

  it('with `outside`, keeps the files beyond the paths it wants, and reports none of them', async () => {
    const { files, problems } = await readConfigDir(root, { paths: ['sub/deeper'] }, (text) =>
      text.startsWith('b:'),
    )
    expect(files.map((file) => file.path)).toEqual(['sub/b.yml', 'sub/deeper/c.YAML'])
    expect(problems).toEqual([])
  })

  it('follows symlinked directories inside the tree', async () => {
    const { files } = await readConfigDir(root, { paths: ['linked'] })
    expect(files.map((file) => file.path)).toEqual(['linked/b.yml', 'linked/deeper/c.YAML'])
  })

  it('rejects a missing directory with a clear message', async () => {
    await expect(readConfigDir(join(base, 'nope'))).rejects.toThrow(
      /config directory .*nope cannot be read \(ENOENT\)/,
    )
  })
})
