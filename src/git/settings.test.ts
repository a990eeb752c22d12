import { describe, expect, it } from 'vitest'
import { classifyGitError, scrub } from './errors.js'
import { checkoutDirName, redactUrl, resolveRemote } from './settings.js'

describe('resolveRemote', () => {
  it('moves URL credentials to auth and defaults pushBranch to branch', () => {
    const remote = resolveRemote({
      url: 'https://bot:p%40ss@git.example.com/team/config.git/',
      branch: 'refs/heads/main',
    })
    expect(remote).toEqual({
      url: 'https://git.example.com/team/config.git',
      branch: 'main',
      pushBranch: 'main',
      auth: { username: 'bot', password: 'p@ss' },
    })
  })

  it('prefers explicit auth over URL credentials', () => {
    const auth = { username: 'x', password: 'y' }
    expect(resolveRemote({ url: 'https://a:b@h/r.git', branch: 'main', auth }).auth).toBe(auth)
  })

  it.each(['', 'a b', 'a..b', '-x', 'x.lock', 'x/', 'a~1', 'a:b', 'a//b', '@{u}'])(
    'rejects branch %j',
    (branch) => {
      expect(() => resolveRemote({ url: 'https://h/r.git', branch })).toThrow(/invalid branch/)
    },
  )
})

describe('checkoutDirName', () => {
  it('is filesystem-safe, readable and distinct per URL and branch', () => {
    const main = checkoutDirName(
      resolveRemote({ url: 'https://git.example.com:8443/team/config.git', branch: 'main' }),
    )
    const prod = checkoutDirName(
      resolveRemote({ url: 'https://git.example.com:8443/team/config.git', branch: 'prod' }),
    )
    expect(main).toMatch(/^git\.example\.com-8443-config\.git-[0-9a-f]{12}$/)
    expect(prod).not.toBe(main)
  })
})

describe('secrets in messages', () => {
  it('redacts URL credentials', () => {
    expect(redactUrl('https://bot:hunter2@h/r.git')).toBe('https://h/r.git')
    expect(redactUrl('not a url //bot:hunter2@h')).toBe('not a url //h')
  })

  it('scrubs secrets from library messages and classifies HTTP statuses', () => {
    expect(scrub('GET https://bot:hunter2@h/x failed: hunter2', ['hunter2'])).toBe(
      'GET https://h/x failed: ***',
    )
    const context = { url: 'https://h/r.git', action: 'fetching', secrets: ['hunter2'], authConfigured: true }
    const http = (statusCode: number) =>
      Object.assign(new Error('HTTP Error'), { code: 'HttpError', data: { statusCode } })
    expect(classifyGitError(http(401), context)).toMatchObject({ kind: 'auth', transient: false })
    expect(classifyGitError(http(403), context)).toMatchObject({ kind: 'auth', transient: false })
    expect(classifyGitError(http(429), context)).toMatchObject({ kind: 'server', transient: true })
    expect(classifyGitError(http(502), context)).toMatchObject({ kind: 'server', transient: true })
    expect(classifyGitError(http(400), context)).toMatchObject({ kind: 'server', transient: false })
    const reset = Object.assign(new Error('socket hang up hunter2'), { code: 'ECONNRESET' })
    const error = classifyGitError(reset, context)
    expect(error).toMatchObject({ kind: 'network', transient: true })
    expect(String(error.cause)).not.toContain('hunter2')
  })
})
