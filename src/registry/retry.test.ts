import { describe, expect, it } from 'vitest'
import { backoffMs, parseRemainingBudget, parseRetryAfter } from './retry.js'

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    const now = Date.parse('2024-01-01T00:00:00Z')
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('Sun, 31 Dec 2023 00:00:00 GMT', now)).toBe(0)
  })

  it('gives undefined for absent or unreadable values', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined()
    expect(parseRetryAfter('soon')).toBeUndefined()
    expect(parseRetryAfter('-5')).toBeUndefined()
  })
})

describe('backoffMs', () => {
  it('doubles per attempt within ±25 % jitter and is capped at 30 s', () => {
    expect(backoffMs(0, 100, () => 0)).toBe(75)
    expect(backoffMs(3, 100, () => 1)).toBe(1000)
    expect(backoffMs(2, 100, () => 0.5)).toBe(400)
    expect(backoffMs(20, 500, () => 0.5)).toBe(30_000)
  })
})

describe('parseRemainingBudget', () => {
  it('reads Docker Hub ratelimit-remaining', () => {
    expect(parseRemainingBudget('76;w=21600')).toBe(76)
    expect(parseRemainingBudget(['0;w=21600'])).toBe(0)
    expect(parseRemainingBudget(undefined)).toBeUndefined()
    expect(parseRemainingBudget('n/a')).toBeUndefined()
  })
})
