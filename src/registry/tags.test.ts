import { describe, expect, it } from 'vitest'
import { nextLink } from './tags.js'

describe('nextLink', () => {
  it('finds rel="next" among links, relative or absolute', () => {
    expect(nextLink('</v2/a/tags/list?n=2&last=b>; rel="next"')).toBe('/v2/a/tags/list?n=2&last=b')
    expect(nextLink('<https://r/x>; rel="prev", <https://r/y>; rel=next')).toBe('https://r/y')
    expect(nextLink(['<https://r/x>; rel="first"', '<https://r/z>; rel="last next"'])).toBe('https://r/z')
  })

  it('gives undefined without a next link', () => {
    expect(nextLink(undefined)).toBeUndefined()
    expect(nextLink('<https://r/x>; rel="prev"')).toBeUndefined()
    expect(nextLink('<https://r/x>; rel="nextpage"')).toBeUndefined()
  })
})
