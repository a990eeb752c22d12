import { describe, expect, it } from 'vitest'
import { normalizeDiscovery, reposToRefresh } from './scheduler.js'

describe('normalizeDiscovery', () => {
  it('merges duplicate images (shortest interval, union of repos) and drops unusable intervals', () => {
    const invalid: string[] = []
    const images = normalizeDiscovery(
      [
        { image: 'a', configRepos: ['r1'], intervalMs: 5000 },
        { image: 'a', configRepos: ['r2', 'r1'], intervalMs: 1000 },
        { image: 'b', configRepos: ['r1'], intervalMs: 0 },
        { image: 'c', configRepos: ['r1'], intervalMs: Number.NaN },
      ],
      (image) => invalid.push(image),
    )
    expect(images).toEqual([{ image: 'a', configRepos: ['r1', 'r2'], intervalMs: 1000 }])
    expect(invalid).toEqual(['b', 'c'])
  })
})

describe('reposToRefresh', () => {
  const first = [
    { image: 'a', configRepos: ['r1', 'r2'], intervalMs: 1 },
    { image: 'b', configRepos: ['r2'], intervalMs: 1 },
  ]
  it('names every repository at the first discovery', () => {
    expect(reposToRefresh(undefined, first).sort()).toEqual(['r1', 'r2'])
  })
  it('names only repositories that are new or whose images changed', () => {
    const next = [
      { image: 'b', configRepos: ['r2'], intervalMs: 9 },
      { image: 'a', configRepos: ['r1', 'r2'], intervalMs: 9 },
      { image: 'c', configRepos: ['r3', 'r1'], intervalMs: 1 },
    ]
    expect(reposToRefresh(first, next).sort()).toEqual(['r1', 'r3'])
    expect(reposToRefresh(first, first)).toEqual([])
  })
})
