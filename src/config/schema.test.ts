import { describe, expect, it } from 'vitest'
import { ConfigError } from './issues.js'
import { parseConfig } from './load.js'
import { registrySettings } from './registry-settings.js'

const parse = (text: string) => parseConfig(text, 'imagebot.yaml', '/srv/bot', {})

function errorLines(text: string): string[] {
  try {
    parse(text)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as ConfigError).message.split('\n')
  }
  throw new Error('expected a ConfigError')
}

describe('registries', () => {
  it('maps registries to the registry client settings (durations in ms)', () => {
    const config = parse(`
registries:
  - host: localhost:5000
    endpoint: http://127.0.0.1:5000
    auth: { identityToken: tok }
    rateLimit: { rps: 2.5 }
    timeout: 1m30s
    retryAfterCap: 10s
    maxRetries: 0
    interval: 30s
  - host: docker.io
    auth: { username: ci, password: pw }
    platform: linux/arm64/v8
`)
    expect(config.registries).toEqual([
      {
        host: 'localhost:5000',
        endpoint: 'http://127.0.0.1:5000',
        auth: { identityToken: 'tok' },
        rateLimit: { rps: 2.5, burst: 3 },
        platform: 'linux/amd64',
        pageSize: 100,
        maxRetries: 0,
        timeoutMs: 90_000,
        retryAfterCapMs: 10_000,
        intervalMs: 30_000,
      },
      {
        host: 'docker.io',
        auth: { username: 'ci', password: 'pw' },
        platform: 'linux/arm64/v8',
        pageSize: 100,
      },
    ])
  })

  it('passes straight through to the registry client', () => {
    const config = parse('registries: [{ host: ghcr.io, timeout: 5s, maxConcurrency: 2, retryBase: 250ms }]')
    expect(registrySettings(config)).toEqual([
      {
        host: 'ghcr.io',
        platform: 'linux/amd64',
        pageSize: 100,
        maxConcurrency: 2,
        timeoutMs: 5_000,
        retryBaseMs: 250,
      },
    ])
  })

  it('rejects credentials in registry URLs and Docker Hub aliases listed twice', () => {
    expect(
      errorLines(`
registries:
  - { host: docker.io, endpoint: "https://u:hunter2@mirror.example" }
  - { host: index.docker.io }
`),
    ).toEqual([
      'imagebot.yaml: registries[0].endpoint: must not contain credentials; use auth, got "https://***@mirror.example"',
      'imagebot.yaml: registries[1].host: duplicate of registries[0]',
    ])
  })
})

describe('value checks', () => {
  it('checks values: urls, hosts, branch names, webhook types, listen, auth forms', () => {
    const lines = errorLines(`
repositories:
  - { url: "git@github.com:acme/x.git", branch: "bad..branch" }
registries:
  - { host: myregistry, auth: { username: u } }
  - { host: ghcr.io, auth: { username: u, password: p, identityToken: t } }
webhooks:
  - { type: gitlab, secret: "0123456789abcdef" }
server: { listen: "127.0.0.1:99999" }
`)
    expect(lines).toEqual([
      'imagebot.yaml: repositories[0].url: expected an http:// or https:// URL (git smart-HTTP remote), got "git@github.com:acme/x.git"',
      expect.stringMatching(/^imagebot\.yaml: repositories\[0\]\.branch: expected a git branch name/),
      expect.stringMatching(
        /^imagebot\.yaml: registries\[0\]\.host: expected a registry host .*, got "myregistry"$/,
      ),
      'imagebot.yaml: registries[0].auth: username and password go together: give both',
      'imagebot.yaml: registries[1].auth: give either username and password, or identityToken, not both',
      'imagebot.yaml: server.listen: port above 65535, got "127.0.0.1:99999"',
      expect.stringMatching(
        /^imagebot\.yaml: webhooks\[0\]\.type: expected one of dockerhub, .*, got "gitlab"$/,
      ),
    ])
  })

  it('rejects duplicate registries, webhook types and repositories', () => {
    const lines = errorLines(`
repositories: [{ url: "https://g.example/r.git" }, { url: "https://g.example/r.git" }]
registries: [{ host: ghcr.io }, { host: GHCR.io }]
webhooks: [{ type: generic, secret: "0123456789abcdef" }, { type: generic, secret: "0123456789abcdefg" }]
`)
    expect(lines).toEqual([
      'imagebot.yaml: repositories[1].url: duplicate of repositories[0]',
      'imagebot.yaml: registries[1].host: duplicate of registries[0]',
      'imagebot.yaml: webhooks[1].type: duplicate of webhooks[0]',
    ])
  })
})
