// The embedded daemon's durable state file: survives a new process, refuses a damaged file by name.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { fileHashStorage } from './file-hash-storage.js'
import { SuspensionStore } from './suspension.js'

let dir: string | undefined
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('fileHashStorage', () => {
  it('keeps what was written for the next process, and deletes', async () => {
    dir = await mkdtemp(join(tmpdir(), 'imagebot-state-'))
    const path = join(dir, 'nested', 'daemon-state.json')
    const first = new SuspensionStore(fileHashStorage(path))
    await first.set('https://git.example/a.git', true)
    await first.set('https://git.example/b.git', true)
    await first.set('https://git.example/a.git', false)
    const second = new SuspensionStore(fileHashStorage(path))
    expect(await second.list()).toEqual(['https://git.example/b.git'])
    expect(await second.isSuspended('https://git.example/a.git')).toBe(false)
    expect(JSON.parse(await readFile(path, 'utf8')).suspended).toHaveProperty(['https://git.example/b.git'])
  })

  it('refuses a file that is not JSON, naming it, and leaves it alone', async () => {
    dir = await mkdtemp(join(tmpdir(), 'imagebot-state-'))
    const path = join(dir, 'daemon-state.json')
    await writeFile(path, '{"suspended": {')
    expect(() => fileHashStorage(path)).toThrow(`${path} is not valid JSON; fix or remove it`)
    expect(await readFile(path, 'utf8')).toBe('{"suspended": {')
  })
})
