// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the config file's own syntax
// Flux v1's --git-signing-key and --git-ci-skip as config, against the real git server: the bot's commit must
// pass `git verify-commit` with a keyring that holds only the public key, and carry the CI-skip text.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSigningKey, type TestSigningKey } from './support/gpg.js'
import { REPO } from './support/scenario.js'
import { onceWith, scenarioPerTest } from './support/signing-scenario.js'

const PASSPHRASE = 'correct horse battery staple'
let key: TestSigningKey

beforeAll(async () => {
  key = await createSigningKey({ passphrase: PASSPHRASE })
}, 60_000)
afterAll(() => key.stop())
const setUp = scenarioPerTest()

describe('signed bot commits', () => {
  it('signs with a key and passphrase from the environment; git verify-commit accepts it', async () => {
    const s = await setUp(
      '      signingKey: { key: "${IMAGEBOT_SIGNING_KEY}", passphrase: "${IMAGEBOT_SIGNING_PASSPHRASE}" }\n' +
        '      ciSkip: true\n',
    )
    const initial = (await s.git.log(REPO, 'main'))[0]!
    const report = await onceWith(s, {
      IMAGEBOT_SIGNING_KEY: key.secretKey,
      IMAGEBOT_SIGNING_PASSPHRASE: PASSPHRASE,
    })
    expect(report.errors).toEqual([])
    expect(report.commit).toMatch(/^[0-9a-f]{40}$/)
    const gitDir = join(s.git.root, `${REPO}.git`)
    const verified = await key.verifyCommit(gitDir, report.commit!)
    expect(verified.ok).toBe(true)
    expect(verified.output).toContain(`VALIDSIG ${key.fingerprint}`)
    // The same check refuses the seed commit, which nobody signed.
    expect((await key.verifyCommit(gitDir, initial.oid)).ok).toBe(false)
    const head = (await s.git.log(REPO, 'main'))[0]!
    expect(head.subject).toBe('Auto-release multiple (3) images [ci skip]')
    // The trailers stay the message's last paragraph.
    expect(head.message.trimEnd()).toMatch(/Imagebot-Workload: [^\n]+$/)
  }, 120_000)

  it('reads the key and passphrase from files, and writes a custom CI-skip text', async () => {
    const s = await setUp(
      '      signingKey: { keyFile: bot.asc, passphraseFile: bot.pass }\n      ciSkipMessage: "[skip ci]"\n',
    )
    await writeFile(join(s.dir, 'bot.asc'), key.secretKey)
    await writeFile(join(s.dir, 'bot.pass'), `${PASSPHRASE}\n`)
    const report = await onceWith(s, {})
    expect(report.errors).toEqual([])
    expect((await key.verifyCommit(join(s.git.root, `${REPO}.git`), report.commit!)).ok).toBe(true)
    expect((await s.git.log(REPO, 'main'))[0]!.subject).toBe('Auto-release multiple (3) images [skip ci]')
  }, 120_000)

  it('pushes nothing with a wrong passphrase, and the error shows neither key nor passphrase', async () => {
    const s = await setUp('      signingKey: { key: "${KEY}", passphrase: "not the passphrase" }\n')
    const before = await s.git.log(REPO, 'main')
    const report = await onceWith(s, { KEY: key.secretKey })
    expect(report.commit).toBeUndefined()
    const messages = report.errors.map((error) => error.message).join('\n')
    expect(messages).toContain('the passphrase does not unlock the key')
    expect(messages).not.toContain('not the passphrase')
    expect(messages).not.toContain('PRIVATE KEY')
    expect(await s.git.log(REPO, 'main')).toEqual(before)
  }, 120_000)
})
