// The SSH signer alone, checked by ssh-keygen itself (`-Y verify -n git`, what git runs for gpg.format=ssh),
// for the key forms the end-to-end test does not commit with: ECDSA and PEM (`ssh-keygen -m PEM`) keys, and the
// config errors of each form. The bot's commits through the normal path: test/e2e-ssh-signing.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSshKey, type TestSshKey } from '../../test/support/ssh-keys.js'
import { GitError } from './errors.js'
import { createCommitSigner } from './signing.js'

const EMAIL = 'bot@example.test'
const URL = 'https://git.example.test/acme/fleet.git'
const PASSPHRASE = 'correct horse battery staple'
const PAYLOAD = 'tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor a <a@b> 0 +0000\n\nnon-ASCII ü\n'
const keys: Record<string, TestSshKey> = {}

beforeAll(async () => {
  const made = await Promise.all([
    createSshKey({ type: 'ecdsa', email: EMAIL }),
    createSshKey({ type: 'rsa', email: EMAIL, format: 'PEM' }),
    createSshKey({ type: 'rsa', email: EMAIL, format: 'PEM', passphrase: PASSPHRASE }),
    createSshKey({ type: 'ed25519', email: EMAIL, passphrase: PASSPHRASE }),
    createSshKey({ type: 'ecdsa', email: EMAIL, format: 'PKCS8', passphrase: PASSPHRASE }),
  ])
  Object.assign(keys, {
    ecdsa: made[0],
    rsaPem: made[1],
    rsaPemProtected: made[2],
    ed25519Protected: made[3],
    ecdsaPkcs8Protected: made[4],
  })
}, 60_000)
afterAll(() => Promise.all(Object.values(keys).map((key) => key.stop())))

async function configError(settings: { key: string; passphrase?: string }): Promise<GitError> {
  const error = await createCommitSigner(settings, URL).then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(GitError)
  const gitError = error as GitError
  expect(gitError.kind).toBe('config')
  expect(gitError.transient).toBe(false)
  expect(gitError.message).not.toContain('PRIVATE KEY')
  if (settings.passphrase !== undefined) expect(gitError.message).not.toContain(settings.passphrase)
  return gitError
}

describe('SSH commit signer', () => {
  it.each([
    ['ecdsa', undefined, 'ECDSA'],
    ['rsaPem', undefined, 'RSA'],
    ['rsaPemProtected', PASSPHRASE, 'RSA'],
    ['ed25519Protected', PASSPHRASE, 'ED25519'],
    ['ecdsaPkcs8Protected', PASSPHRASE, 'ECDSA'],
  ])('a %s key signs what ssh-keygen -Y verify -n git accepts', async (name, passphrase, type) => {
    const key = keys[name]!
    const signer = await createCommitSigner(
      passphrase === undefined ? { key: key.privateKey } : { key: key.privateKey, passphrase },
      URL,
    )
    expect(signer.keyId).toBe(key.fingerprint)
    const signature = await signer.sign(PAYLOAD)
    expect(signature).toMatch(
      /^-----BEGIN SSH SIGNATURE-----\n([A-Za-z0-9+/=]{1,70}\n)+-----END SSH SIGNATURE-----\n$/,
    )
    const verified = await key.verifyPayload(PAYLOAD, signature)
    expect(verified.output).toContain(`Good "git" signature for ${EMAIL} with ${type} key ${key.fingerprint}`)
    expect(verified.ok).toBe(true)
    // One byte more and the signature no longer holds.
    expect((await key.verifyPayload(`${PAYLOAD} `, signature)).ok).toBe(false)
  })

  it('a protected key without its passphrase is a permanent config error naming the repository', async () => {
    for (const name of ['ed25519Protected', 'rsaPemProtected', 'ecdsaPkcs8Protected']) {
      const error = await configError({ key: keys[name]!.privateKey })
      expect(error.message).toBe(`commit.signingKey for ${URL}: the key is protected: give its passphrase`)
    }
  })

  it('a wrong passphrase is a config error for every key format, and does not end the process', async () => {
    // sshpk alone throws a PEM key's bad-decrypt error from an event handler, out of every caller's reach.
    for (const name of ['ed25519Protected', 'rsaPemProtected', 'ecdsaPkcs8Protected']) {
      const error = await configError({ key: keys[name]!.privateKey, passphrase: 'not the passphrase' })
      expect(error.message).toBe(`commit.signingKey for ${URL}: the passphrase does not unlock the key`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  })

  it('a damaged SSH key is refused without quoting it', async () => {
    const damaged = keys.ecdsa!.privateKey.replace(/\n[A-Za-z0-9+/]{20}/, '\n')
    const error = await configError({ key: damaged })
    expect(error.message).toContain('not a readable SSH private key')
  })
})
