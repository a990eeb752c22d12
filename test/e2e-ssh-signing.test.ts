// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the config file's own syntax
// Flux v1's --git-signing-key with an SSH key, against the real git server: the bot's commit, made through the
// normal `once` path, must pass `git verify-commit` with gpg.format=ssh and an allowed-signers file holding only
// the public key, as `git commit -S` with gpg.format=ssh would. Keys come from the real ssh-keygen.
import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BOT, REPO, type Scenario } from './support/scenario.js'
import { onceWith, scenarioPerTest } from './support/signing-scenario.js'
import { createSshKey, type TestSshKey } from './support/ssh-keys.js'

const run = promisify(execFile)
const PASSPHRASE = 'correct horse battery staple'
let ed25519: TestSshKey
let rsa: TestSshKey
let protectedKey: TestSshKey

beforeAll(async () => {
  ;[ed25519, rsa, protectedKey] = await Promise.all([
    createSshKey({ type: 'ed25519', email: BOT.email }),
    createSshKey({ type: 'rsa', email: BOT.email }),
    createSshKey({ type: 'ed25519', email: BOT.email, passphrase: PASSPHRASE }),
  ])
}, 60_000)
afterAll(() => Promise.all([ed25519, rsa, protectedKey].map((key) => key?.stop())))
const setUp = scenarioPerTest()

const gitDirOf = (s: Scenario) => join(s.git.root, `${REPO}.git`)

describe('SSH-signed bot commits', () => {
  it('signs with an ed25519 key from the environment; git verify-commit accepts it, and refuses a tampered copy', async () => {
    const s = await setUp('      signingKey: { key: "${IMAGEBOT_SIGNING_KEY}" }\n')
    const initial = (await s.git.log(REPO, 'main'))[0]!
    const report = await onceWith(s, { IMAGEBOT_SIGNING_KEY: ed25519.privateKey })
    expect(report.errors).toEqual([])
    expect(report.commit).toMatch(/^[0-9a-f]{40}$/)
    const gitDir = gitDirOf(s)
    const verified = await ed25519.verifyCommit(gitDir, report.commit!)
    expect(verified.output).toContain(
      `Good "git" signature for ${BOT.email} with ED25519 key ${ed25519.fingerprint}`,
    )
    expect(verified.ok).toBe(true)
    const raw = (await run('git', ['--git-dir', gitDir, 'cat-file', 'commit', report.commit!])).stdout
    expect(raw).toMatch(/\ngpgsig -----BEGIN SSH SIGNATURE-----\n( \S+\n)+ -----END SSH SIGNATURE-----\n/)
    // The seed commit, which nobody signed, is refused by the same check.
    expect((await ed25519.verifyCommit(gitDir, initial.oid)).ok).toBe(false)
    // The same signature over a changed message must not verify: it covers the commit's bytes.
    const tampered = raw.replace('Auto-release', 'Auto-releasf')
    expect(tampered).not.toBe(raw)
    const writing = run('git', ['--git-dir', gitDir, 'hash-object', '-t', 'commit', '-w', '--stdin'])
    writing.child.stdin?.end(tampered)
    const tamperedOid = (await writing).stdout.trim()
    const refused = await ed25519.verifyCommit(gitDir, tamperedOid)
    expect(refused.ok).toBe(false)
    expect(refused.output).not.toContain('Good "git" signature')
  }, 120_000)

  it('signs with an RSA key from a file (rsa-sha2-512)', async () => {
    const s = await setUp('      signingKey: { keyFile: bot-signing }\n')
    await writeFile(join(s.dir, 'bot-signing'), rsa.privateKey)
    const report = await onceWith(s, {})
    expect(report.errors).toEqual([])
    const verified = await rsa.verifyCommit(gitDirOf(s), report.commit!)
    expect(verified.output).toContain(`with RSA key ${rsa.fingerprint}`)
    expect(verified.ok).toBe(true)
  }, 120_000)

  it('decrypts a passphrase-protected key with the passphrase from a file', async () => {
    const s = await setUp('      signingKey: { keyFile: bot-signing, passphraseFile: bot.pass }\n')
    await writeFile(join(s.dir, 'bot-signing'), protectedKey.privateKey)
    await writeFile(join(s.dir, 'bot.pass'), `${PASSPHRASE}\n`)
    const report = await onceWith(s, {})
    expect(report.errors).toEqual([])
    expect((await protectedKey.verifyCommit(gitDirOf(s), report.commit!)).ok).toBe(true)
    // Another key's allowed-signers file does not vouch for it.
    expect((await ed25519.verifyCommit(gitDirOf(s), report.commit!)).ok).toBe(false)
  }, 120_000)

  it('pushes nothing with a wrong passphrase, and the error shows neither key nor passphrase', async () => {
    const s = await setUp('      signingKey: { key: "${KEY}", passphrase: "not the passphrase" }\n')
    const before = await s.git.log(REPO, 'main')
    const report = await onceWith(s, { KEY: protectedKey.privateKey })
    expect(report.commit).toBeUndefined()
    const messages = report.errors.map((error) => error.message).join('\n')
    expect(messages).toContain(`commit.signingKey for ${s.repoUrl}: the passphrase does not unlock the key`)
    expect(messages).not.toContain('not the passphrase')
    expect(messages).not.toContain('PRIVATE KEY')
    expect(report.errors.some((error) => error.severity === undefined)).toBe(true)
    expect(await s.git.log(REPO, 'main')).toEqual(before)
  }, 120_000)
})
