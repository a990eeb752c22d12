import { spawn, spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { withFileLock } from './lock.js'

const LOCK_MODULE = new URL('./lock.ts', import.meta.url).pathname
let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imagebot-lock-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

/** Another process that holds the lock for `holdMs`, printing "held" once it has it. */
async function holdInAnotherProcess(path: string, holdMs: number) {
  const script = `import { withFileLock } from ${JSON.stringify(LOCK_MODULE)}
await withFileLock(${JSON.stringify(path)}, 'repo', async () => {
  process.stdout.write('held\\n')
  await new Promise((resolve) => setTimeout(resolve, ${holdMs}))
})`
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve())
    child.once('exit', (code) => reject(new Error(`lock holder exited early (${code})`)))
  })
  return { pid: child.pid!, exited: new Promise((resolve) => child.once('exit', resolve)) }
}

describe('withFileLock', () => {
  it('waits for another process to finish its step', async () => {
    const path = join(dir, 'clone.lock')
    const holder = await holdInAnotherProcess(path, 800)
    const started = Date.now()
    const waited = await withFileLock(path, 'repo', async () => Date.now() - started)
    expect(waited).toBeGreaterThanOrEqual(500)
    await holder.exited
  })

  it('gives up with a transient error naming the holder', async () => {
    const path = join(dir, 'clone.lock')
    const holder = await holdInAnotherProcess(path, 1500)
    const attempt = withFileLock(path, 'https://example.test/r.git', async () => 'ran', { timeoutMs: 200 })
    await expect(attempt).rejects.toMatchObject({
      transient: true,
      message: expect.stringContaining(`pid ${holder.pid}`),
    })
    await holder.exited
  })

  it('takes over the lock of a process that died, and releases it after the step', async () => {
    const path = join(dir, 'clone.lock')
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    })
    await writeFile(path, `${dead.stdout}\n`)
    expect(await withFileLock(path, 'repo', async () => readFile(path, 'utf8'))).toBe(`${process.pid}\n`)
    await expect(readFile(path, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' })
  })
})
