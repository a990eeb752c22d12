import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MetadataCache, STATE_FILE } from './cache.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imagebot-cache-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

describe('MetadataCache', () => {
  it('round-trips tags, details and page sizes through the state file', async () => {
    const cache = await MetadataCache.load(dir)
    cache.setTag('r/a', '1.0', { digest: 'sha256:aa', checkedAt: 5 })
    cache.setDetails('sha256:aa', { created: '2024-01-01T00:00:00Z', labels: { x: 'y' } })
    cache.setPageSize('quay.io', 50)
    await cache.save()
    expect(await readdir(dir)).toEqual([STATE_FILE])
    const loaded = await MetadataCache.load(dir)
    expect(loaded.getTag('r/a', '1.0')).toEqual({ digest: 'sha256:aa', checkedAt: 5 })
    expect(loaded.getDetails('sha256:aa')).toEqual({ created: '2024-01-01T00:00:00Z', labels: { x: 'y' } })
    expect(loaded.getPageSize('quay.io')).toBe(50)
    expect(loaded.loadWarning).toBeUndefined()
  })

  it('drops details no tag points at, and tags no longer retained', async () => {
    const cache = await MetadataCache.load(dir)
    cache.setTag('r/a', '1.0', { digest: 'sha256:aa', checkedAt: 1 })
    cache.setTag('r/a', '2.0', { digest: 'sha256:bb', checkedAt: 1 })
    cache.setDetails('sha256:aa', {})
    cache.setDetails(MetadataCache.detailsKey('sha256:bb', 'linux/amd64'), {
      created: '2024-01-01T00:00:00Z',
    })
    cache.setDetails('sha256:orphan', {})
    cache.retainTags('r/a', new Set(['2.0']))
    await cache.save()
    const state = JSON.parse(await readFile(join(dir, STATE_FILE), 'utf8'))
    expect(Object.keys(state.tags['r/a'])).toEqual(['2.0'])
    expect(Object.keys(state.details)).toEqual(['sha256:bb linux/amd64'])
  })

  it('does not write without changes or without a state directory', async () => {
    const cache = await MetadataCache.load(dir)
    await cache.save()
    expect(await readdir(dir)).toEqual([])
    const memory = await MetadataCache.load(undefined)
    memory.setTag('r/a', '1', { digest: 'sha256:aa', checkedAt: 1 })
    await memory.save()
  })

  it('starts empty with a warning when the file is corrupt or from another version', async () => {
    await writeFile(
      join(dir, STATE_FILE),
      JSON.stringify({ version: 99, tags: {}, details: {}, pageSizes: {} }),
    )
    expect((await MetadataCache.load(dir)).loadWarning).toMatch(
      /unreadable; starting with an empty registry cache/,
    )
    await writeFile(join(dir, STATE_FILE), JSON.stringify({ version: 1, tags: { r: { t: [1, 'x'] } } }))
    const cache = await MetadataCache.load(dir)
    expect(cache.loadWarning).toBeDefined()
    expect(cache.getTag('r', 't')).toBeUndefined()
  })
})
