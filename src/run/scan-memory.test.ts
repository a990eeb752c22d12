// The scan memory's rules alone; the daemon's handlers use it in test/handlers.test.ts on real servers.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { TagListing } from '../registry/tags.js'
import { ScanMemory } from './scan-memory.js'

const IMAGE = 'ghcr.io/acme/web'
const listing = (tags: string[], complete = true): Promise<TagListing> =>
  Promise.resolve({ tags, listed: tags.length, invalid: 0, pages: 1, complete, warnings: [] })

afterEach(() => vi.useRealTimers())

describe('ScanMemory', () => {
  it('queues each config repository once for the same clean tag list, and new repositories still', async () => {
    const memory = new ScanMemory(10_000)
    expect(await memory.toQueue(IMAGE, listing(['1.0', '1.1']), new Set(['a']), true)).toEqual(['a'])
    expect(await memory.toQueue(IMAGE, listing(['1.0', '1.1']), new Set(['a']), true)).toEqual([])
    expect(await memory.toQueue(IMAGE, listing(['1.0', '1.1']), new Set(['a', 'b']), true)).toEqual(['b'])
    expect(await memory.toQueue(IMAGE, listing(['1.0', '1.1', '1.2']), new Set(['a']), true)).toEqual(['a'])
  })

  it('never settles on a scan that saw a problem, or on an incomplete list', async () => {
    const memory = new ScanMemory(10_000)
    expect(await memory.toQueue(IMAGE, listing(['1.0']), new Set(['a']), false)).toEqual(['a'])
    expect(await memory.toQueue(IMAGE, listing(['1.0']), new Set(['a']), true)).toEqual(['a'])
    const partial = new ScanMemory(10_000)
    expect(await partial.toQueue(IMAGE, listing(['1.0'], false), new Set(['a']), true)).toEqual(['a'])
    expect(await partial.toQueue(IMAGE, listing(['1.0'], false), new Set(['a']), true)).toEqual(['a'])
  })

  it('queues again after the update failed, after the window, and after a scan that found nothing', async () => {
    vi.useFakeTimers()
    const memory = new ScanMemory(10_000)
    const tags = ['1.0', '1.1']
    await memory.toQueue(IMAGE, listing(tags), new Set(['a', 'b']), true)
    memory.forgetRepository('a')
    expect(await memory.toQueue(IMAGE, listing(tags), new Set(['a', 'b']), true)).toEqual(['a'])
    vi.advanceTimersByTime(10_001)
    expect(memory.recentListings().size).toBe(0)
    expect(await memory.toQueue(IMAGE, listing(tags), new Set(['a']), true)).toEqual(['a'])
    expect(await memory.toQueue(IMAGE, listing(tags), new Set(), true)).toEqual([])
    expect(await memory.toQueue(IMAGE, listing(tags), new Set(['a']), true)).toEqual(['a'])
  })

  it('offers the listing of the scan that found a change to the update, while it is young', async () => {
    const memory = new ScanMemory(10_000)
    const first = listing(['1.0'])
    await memory.toQueue(IMAGE, first, new Set(['a']), true)
    await memory.toQueue(IMAGE, listing(['1.0']), new Set(['a']), true)
    expect(memory.recentListings().get(IMAGE)).toBe(first)
  })
})
