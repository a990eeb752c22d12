// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the config file's own syntax, not a template
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError } from './issues.js'
import { defaultConfig, loadConfig, parseConfig } from './load.js'

const BASE = '/srv/bot'
const parse = (text: string, env: NodeJS.ProcessEnv = {}) => parseConfig(text, 'imagebot.yaml', BASE, env)

/** The error lines a config produces (fails the test if it loads). */
function errorLines(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parse(text, env)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).code).toBe('CONFIG')
    return (error as ConfigError).message.split('\n')
  }
  throw new Error('expected a ConfigError')
}

describe('parseConfig defaults', () => {
  it('fills every section of an empty file', () => {
    for (const text of ['', '{}', '# only a comment\n']) {
      expect(parse(text)).toEqual({
        repositories: [],
        registries: [],
        scan: { intervalMs: 300_000, excludeTags: ['*.sig', '*.att', '*.sbom'], concurrency: 8 },
        stateDir: '/srv/bot/.imagebot',
        server: {
          listen: '127.0.0.1:8080',
          host: '127.0.0.1',
          port: 8080,
          limits: {
            headersTimeoutMs: 5_000,
            bodyTimeoutMs: 5_000,
            idleTimeoutMs: 5_000,
            maxUnauthenticated: 32,
          },
        },
        webhooks: [],
        notify: [],
        update: { coalesceMs: 2_000 },
      })
    }
  })

  it('defaults a repository branch, pushBranch and author', () => {
    const config = parse('repositories:\n  - url: https://git.example.com/acme/gitops.git\n')
    expect(config.repositories[0]).toEqual({
      url: 'https://git.example.com/acme/gitops.git',
      branch: 'main',
      pushBranch: 'main',
      // Unset branches are told apart from `branch: main`: the ImageUpdateAutomations may decide them.
      explicitBranch: false,
      explicitPushBranch: false,
      commit: { author: { name: 'imagebot', email: 'imagebot@users.noreply.github.com' } },
    })
    const release = parse('repositories:\n  - { url: "http://127.0.0.1:9/r.git", branch: release/1.x }\n')
    expect(release.repositories[0]).toMatchObject({
      pushBranch: 'release/1.x',
      explicitBranch: true,
      explicitPushBranch: false,
    })
    const main = parse(
      'repositories:\n  - { url: "http://127.0.0.1:9/r.git", branch: main, pushBranch: main }\n',
    )
    expect(main.repositories[0]).toMatchObject({ explicitBranch: true, explicitPushBranch: true })
  })

  it('accepts 0 for durations, as a number or a string', () => {
    expect(parse('update: { coalesce: 0 }').update.coalesceMs).toBe(0)
    expect(parse('update: { coalesce: "0" }').update.coalesceMs).toBe(0)
    expect(parse('scan: { interval: 500ms }').scan.intervalMs).toBe(500)
  })

  it('parses an IPv6 listen address', () => {
    expect(parse('server: { listen: "[::1]:0" }').server).toMatchObject({
      listen: '[::1]:0',
      host: '::1',
      port: 0,
    })
    expect(
      parse('server: { headersTimeout: 2s, bodyTimeout: 1500ms, idleTimeout: 1m, maxUnauthenticated: 4 }')
        .server.limits,
    ).toEqual({
      headersTimeoutMs: 2_000,
      bodyTimeoutMs: 1_500,
      idleTimeoutMs: 60_000,
      maxUnauthenticated: 4,
    })
    expect(errorLines('server: { bodyTimeout: 0 }')).toEqual([
      'imagebot.yaml: server.bodyTimeout: expected a duration above 0, got 0',
    ])
  })
})

describe('parseConfig paths and environment', () => {
  it('resolves relative paths against the config folder and ~ against HOME', () => {
    const env = { HOME: '/home/bot' }
    expect(parse('stateDir: state\ndockerConfig: ../creds/config.json', env)).toMatchObject({
      stateDir: '/srv/bot/state',
      dockerConfig: '/srv/creds/config.json',
    })
    expect(parse('stateDir: ~/imagebot\ndockerConfig: /etc/docker.json', env)).toMatchObject({
      stateDir: '/home/bot/imagebot',
      dockerConfig: '/etc/docker.json',
    })
  })

  it('expands ${VAR} in values after YAML parsing', () => {
    const env = { GIT_TOKEN: 'a: "b" # c', HOOK: 'h'.repeat(20) }
    const config = parse(
      'repositories:\n  - url: https://g.example/r.git\n    auth: { username: x, password: "${GIT_TOKEN}" }\n' +
        'webhooks:\n  - { type: generic, secret: "${HOOK}" }\n',
      env,
    )
    expect(config.repositories[0]?.auth).toEqual({ username: 'x', password: 'a: "b" # c' })
    expect(config.webhooks).toEqual([{ type: 'generic', secret: 'h'.repeat(20) }])
  })

  it('names the key path of an unset variable, once', () => {
    const text =
      'repositories:\n  - url: https://g.example/r.git\n    auth: { username: x, password: "${GIT_TOKEN}" }\n'
    expect(errorLines(text)).toEqual([
      'imagebot.yaml: repositories[0].auth.password: environment variable GIT_TOKEN is not set',
    ])
  })

  it('REDIS_URL enables Redis only when the file has no redis section', () => {
    expect(parse('', { REDIS_URL: 'redis://127.0.0.1:6379' }).redis).toEqual({
      url: 'redis://127.0.0.1:6379',
    })
    expect(parse('redis: { url: "redis://r:1" }', { REDIS_URL: 'redis://other:2' }).redis).toEqual({
      url: 'redis://r:1',
    })
    expect(parse('').redis).toBeUndefined()
    expect(errorLines('', { REDIS_URL: 'localhost:6379' })[0]).toContain('REDIS_URL is not a redis:// URL')
  })
})

describe('parseConfig errors', () => {
  it('formats each issue as file: key path: expectation, got value', () => {
    const lines = errorLines(`
registries:
  - host: docker.io
  - host: ghcr.io
    rateLimit: { rps: "x" }
scan: { interval: 5, concurrency: 0 }
`)
    expect(lines).toContain('imagebot.yaml: registries[1].rateLimit.rps: expected a positive number, got "x"')
    expect(lines).toContain(
      'imagebot.yaml: scan.interval: expected a duration such as 500ms, 30s, 5m, 1h or 1h30m (or 0), got 5',
    )
    expect(lines).toContain('imagebot.yaml: scan.concurrency: expected a positive whole number, got 0')
    expect(lines).toHaveLength(3)
  })

  it('names an unknown key, suggests the close one and lists the allowed keys', () => {
    const lines = errorLines('repositories:\n  - url: https://g.example/r.git\n    brnach: main\nextra: 1\n')
    expect(lines).toEqual([
      'imagebot.yaml: repositories[0].brnach: unknown key (did you mean "branch"?); allowed keys: url, branch, ' +
        'pushBranch, paths, namespaces, auth, commit',
      expect.stringMatching(/^imagebot\.yaml: extra: unknown key; allowed keys: repositories, registries, /),
    ])
  })

  it('reports a YAML syntax error with line and column', () => {
    const [line] = errorLines('scan:\n  interval: 5m\n  concurrency: [1, 2\n')
    expect(line).toMatch(/^imagebot\.yaml:\d+:\d+: YAML syntax error: /)
    expect(errorLines('a: 1\na: 2\n')[0]).toMatch(/^imagebot\.yaml:2:1: YAML syntax error: .*unique/)
  })

  it('rejects a wrong shape at the top level and missing required keys', () => {
    expect(errorLines('- a\n- b\n')).toEqual(['imagebot.yaml: expected a mapping (key: value), got a list'])
    expect(errorLines('repositories: [{ branch: main }]')).toEqual([
      'imagebot.yaml: repositories[0].url: is required',
    ])
  })

  it('never echoes secrets or URL credentials', () => {
    const message = errorLines(`
repositories:
  - { url: "ftp://user:hunter2@g.example/r.git", auth: { username: u, password: 7 } }
webhooks:
  - { type: dockerhub, secret: "short-s3cret" }
  - { type: quay, secret: "has a space in it!!" }
`).join('\n')
    expect(message).not.toMatch(/hunter2|short-s3cret|has a space/)
    expect(message).toContain('webhooks[0].secret: expected at least 16 characters')
    expect(message).toContain('webhooks[1].secret: a quay secret is part of the URL')
    expect(message).toContain('repositories[0].auth.password: expected a string, got (value hidden)')
  })
})

describe('loadConfig and defaultConfig', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imagebot-config-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('reads the file and resolves paths against its folder', async () => {
    const file = join(dir, 'imagebot.yaml')
    await writeFile(file, 'stateDir: state\nscan: { interval: 1m }\n')
    const config = await loadConfig(file, {})
    expect(config.stateDir).toBe(join(dir, 'state'))
    expect(config.scan.intervalMs).toBe(60_000)
  })

  it('a missing file is a ConfigError naming the path', async () => {
    const missing = join(dir, 'nope.yaml')
    await expect(loadConfig(missing, {})).rejects.toThrow(
      `${missing}: cannot read the config file (no such file)`,
    )
  })

  it('defaultConfig has no repositories and keeps state under the directory', () => {
    const config = defaultConfig(dir, {})
    expect(config.repositories).toEqual([])
    expect(config.registries).toEqual([])
    expect(config.stateDir).toBe(join(dir, '.imagebot'))
  })
})

describe('commit message template', () => {
  it('is validated when the config is loaded', () => {
    const text =
      'repositories:\n  - url: https://example.test/r.git\n    commit:\n      message: "{{nope}}"\n'
    expect(() => parseConfig(text, 'imagebot.yaml', '/tmp', {})).toThrow(/repositories\[0\]\.commit\.message/)
  })
})
