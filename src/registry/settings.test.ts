import { describe, expect, it } from 'vitest'
import { normalizeHost, resolveSettings } from './settings.js'

describe('resolveSettings', () => {
  it('defaults a host without an entry to https://<host>, Docker Hub to registry-1.docker.io', () => {
    expect(resolveSettings([], 'ghcr.io')).toMatchObject({
      host: 'ghcr.io',
      endpoint: 'https://ghcr.io',
      platform: 'linux/amd64',
      pageSize: 100,
      maxPages: 100,
      timeoutMs: 10_000,
      retryAfterCapMs: 60_000,
      maxRetries: 3,
    })
    expect(resolveSettings([], 'index.docker.io').endpoint).toBe('https://registry-1.docker.io')
  })

  it('matches entries case-insensitively and through Docker Hub aliases', () => {
    const entries = [{ host: 'Docker.IO', endpoint: 'http://127.0.0.1:5000/', pageSize: 50 }]
    expect(resolveSettings(entries, 'registry-1.docker.io')).toMatchObject({
      host: 'docker.io',
      endpoint: 'http://127.0.0.1:5000',
      pageSize: 50,
    })
    expect(normalizeHost(' MyReg:5000 ')).toBe('myreg:5000')
  })

  it('rejects bad values with a message naming the host and the setting', () => {
    const bad = (extra: object) => () => resolveSettings([{ host: 'r.example', ...extra }], 'r.example')
    expect(bad({ endpoint: 'ftp://r.example' })).toThrow(
      /registry settings for r\.example: endpoint must use http/,
    )
    expect(bad({ endpoint: 'https://u:p@r.example' })).toThrow(/must not contain credentials/)
    expect(bad({ endpoint: 'nope' })).toThrow(/is not a URL/)
    expect(bad({ pageSize: 0 })).toThrow(/pageSize must be a positive number/)
    expect(bad({ maxRetries: -1 })).toThrow(/maxRetries must be zero or more/)
    expect(bad({ rateLimit: { rps: 0, burst: 1 } })).toThrow(/rateLimit\.rps/)
    expect(bad({ platform: 'amd64' })).toThrow(/platform "amd64"/)
  })
})
