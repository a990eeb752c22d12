// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the config file's own syntax
// The config keys that replace Flux v1 daemon flags: --git-ci-skip(-message), --git-signing-key,
// --registry-include-image / --registry-exclude-image (fluxcd/flux cmd/fluxd/main.go).
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ciSkipSuffix } from '../run/once.js'
import { ConfigError } from './issues.js'
import { parseConfig } from './load.js'

const repo = (commit: string) => `repositories:\n  - url: https://git.example/r.git\n    commit: ${commit}\n`
const parse = (text: string, env: NodeJS.ProcessEnv = {}, dir = '/srv/bot') =>
  parseConfig(text, 'imagebot.yaml', dir, env)

function errorText(text: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    parse(text, env)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as ConfigError).message
  }
  throw new Error('expected a ConfigError')
}

describe('commit.ciSkip and commit.ciSkipMessage', () => {
  it('means nothing by default, "[ci skip]" when on, and the message alone turns it on (as Flux v1)', () => {
    const suffix = (commit: string) => ciSkipSuffix(parse(repo(commit)).repositories[0]!.commit)
    expect(suffix('{}')).toBeUndefined()
    expect(suffix('{ ciSkip: true }')).toBe('[ci skip]')
    expect(suffix('{ ciSkipMessage: "[skip ci]" }')).toBe('[skip ci]')
    expect(suffix('{ ciSkip: true, ciSkipMessage: "***NO_CI***" }')).toBe('***NO_CI***')
  })

  it('refuses a message that ciSkip: false would ignore, and a message of several lines', () => {
    expect(errorText(repo('{ ciSkip: false, ciSkipMessage: "[skip ci]" }'))).toContain(
      'repositories[0].commit.ciSkipMessage: has no effect with ciSkip: false',
    )
    expect(errorText(repo('{ ciSkipMessage: "a\\nb" }'))).toContain('expected one line')
    expect(errorText(repo('{ ciSkip: "yes" }'))).toContain('expected true or false')
  })
})

describe('commit.signingKey', () => {
  it('takes the key and passphrase from ${VAR}s', () => {
    const config = parse(repo('{ signingKey: { key: "${K}", passphrase: "${P}" } }'), {
      K: 'armored',
      P: 'pw',
    })
    expect(config.repositories[0]!.commit.signingKey).toEqual({ key: 'armored', passphrase: 'pw' })
  })

  it('reads keyFile and passphraseFile relative to the config file, dropping the final newline', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'imagebot-signing-'))
    await writeFile(join(dir, 'bot.asc'), 'armored\n')
    await writeFile(join(dir, 'pass'), 'pw\n')
    const config = parse(repo('{ signingKey: { keyFile: bot.asc, passphraseFile: pass } }'), {}, dir)
    expect(config.repositories[0]!.commit.signingKey).toEqual({ key: 'armored\n', passphrase: 'pw' })
  })

  it('names the key of a missing file, wants exactly one source, and never prints a key', () => {
    expect(errorText(repo('{ signingKey: { keyFile: /nonexistent/bot.asc } }'))).toContain(
      'repositories[0].commit.signingKey.keyFile: cannot read /nonexistent/bot.asc (ENOENT)',
    )
    expect(errorText(repo('{ signingKey: {} }'))).toContain('expected key or keyFile')
    const both = errorText(repo('{ signingKey: { key: SECRET-KEY-TEXT, keyFile: x } }'))
    expect(both).toContain('give the key once: key or keyFile')
    expect(both).not.toContain('SECRET-KEY-TEXT')
  })
})

describe('scan.includeImages and scan.excludeImages', () => {
  it('are lists of globs, absent by default', () => {
    expect(parse('{}').scan.includeImages).toBeUndefined()
    const config = parse('scan: { includeImages: ["ghcr.io/acme/*"], excludeImages: ["k8s.gcr.io/*"] }')
    expect(config.scan.includeImages).toEqual(['ghcr.io/acme/*'])
    expect(config.scan.excludeImages).toEqual(['k8s.gcr.io/*'])
    expect(errorText('scan: { excludeImages: k8s.gcr.io/* }')).toContain('scan.excludeImages')
  })
})
