// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the config file's own syntax, not a template
// README "Git access": credentials written in a git URL are moved out of it (with a warning), not rejected.
import { describe, expect, it } from 'vitest'
import { ConfigError } from './issues.js'
import { parseConfig } from './load.js'

function load(text: string, env: NodeJS.ProcessEnv = {}) {
  const warnings: string[] = []
  const config = parseConfig(text, 'imagebot.yaml', '/srv/bot', env, (line) => warnings.push(line))
  return { config, warnings }
}

describe('credentials in a git URL', () => {
  it('moves user and password into auth, leaves a clean URL and warns without the secret', () => {
    const { config, warnings } = load(
      'repositories:\n  - url: "https://x-access-token:${GIT_TOKEN}@git.example/acme/config.git"\n',
      { GIT_TOKEN: 'ghp_s3cr3t%2Fpart' },
    )
    expect(config.repositories[0]!.url).toBe('https://git.example/acme/config.git')
    expect(config.repositories[0]!.auth).toEqual({ username: 'x-access-token', password: 'ghp_s3cr3t/part' })
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^imagebot\.yaml: repositories\[0\]\.url: credentials moved out of the URL/)
    expect(warnings.join('\n')).not.toContain('s3cr3t')
  })

  it('takes a token written as the user name alone', () => {
    const { config } = load('repositories:\n  - url: "https://tok3n@git.example/r.git"\n')
    expect(config.repositories[0]!.auth).toEqual({ username: 'tok3n', password: '' })
    expect(config.repositories[0]!.url).toBe('https://git.example/r.git')
  })

  it('does not warn for a clean URL', () => {
    const { config, warnings } = load(
      'repositories:\n  - { url: "https://git.example/r.git", auth: { username: u, password: p } }\n',
    )
    expect(warnings).toEqual([])
    expect(config.repositories[0]!.auth).toEqual({ username: 'u', password: 'p' })
  })

  it('refuses credentials both in the URL and in auth, never echoing them', () => {
    let error: unknown
    try {
      load(
        'repositories:\n  - { url: "https://bot:hunter2@git.example/r.git", auth: { username: u, password: p } }\n',
      )
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).message).toContain(
      'repositories[0].url: credentials both in the URL and in auth; keep auth',
    )
    expect((error as ConfigError).message).not.toContain('hunter2')
  })
})
