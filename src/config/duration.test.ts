import { describe, expect, it } from 'vitest'
import { formatDuration, parseDuration } from './duration.js'

describe('parseDuration', () => {
  it.each([
    ['0', 0],
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1_500],
    ['2m30s', 150_000],
  ])('%s is %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms)
  })

  it.each(['', '5', '5 m', 'm', '5min', '-1s', '1d', '0s0', 's5'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined()
  })

  it('round-trips through formatDuration', () => {
    for (const ms of [0, 250, 1_500, 30_000, 90_000, 300_000, 7_200_000]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms)
    }
  })
})
