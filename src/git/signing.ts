// Signed bot commits (Flux v1 --git-signing-key): a detached signature over the commit object, attached by
// isomorphic-git's onSign hook, as `git commit -S` does. An OpenPGP key signs with openpgp; an SSH key signs in
// git's SSH format (ssh-signing.ts). Branch protection that requires signed commits then accepts the bot's
// pushes. The key and passphrase never reach a message or log.
import * as openpgp from 'openpgp'
import { GitError } from './errors.js'
import { createSshSigner, isSshPrivateKey, SshKeyProblem } from './ssh-signing.js'

export interface SigningKeySettings {
  /** The armored OpenPGP secret key (`-----BEGIN PGP PRIVATE KEY BLOCK-----`) or an SSH private key. */
  key: string
  passphrase?: string
}

export interface CommitSigner {
  /** The signing key's id for messages and tests: OpenPGP long key id (16 hex digits) or SSH `SHA256:…`. */
  keyId: string
  /** The detached, armored signature of a commit payload. */
  sign(payload: string): Promise<string>
}

/** Reads (and decrypts once) the key; a bad key or passphrase is a permanent config error for `url`. */
export async function createCommitSigner(settings: SigningKeySettings, url: string): Promise<CommitSigner> {
  const fail = (problem: string): never => {
    throw new GitError('config', `commit.signingKey for ${url}: ${problem}`, { transient: false, url })
  }
  if (isSshPrivateKey(settings.key)) {
    try {
      return createSshSigner(settings)
    } catch (error) {
      // Only the signer's own wording: a parser's message could quote the key text.
      return fail(error instanceof SshKeyProblem ? error.message : 'the SSH key cannot be used')
    }
  }
  let key: openpgp.PrivateKey
  try {
    key = await openpgp.readPrivateKey({ armoredKey: settings.key })
  } catch {
    return fail(
      'neither an SSH private key nor an armored OpenPGP secret key (export one with gpg --armor --export-secret-keys ID)',
    )
  }
  if (!key.isDecrypted()) {
    if (settings.passphrase === undefined) return fail('the key is protected: give its passphrase')
    try {
      key = await openpgp.decryptKey({ privateKey: key, passphrase: settings.passphrase })
    } catch {
      return fail('the passphrase does not unlock the key')
    }
  }
  try {
    await key.getSigningKey()
  } catch {
    return fail('the key (and its subkeys) cannot sign: it is expired, revoked or has no signing capability')
  }
  const signingKey = key
  return {
    keyId: key.getKeyID().toHex(),
    async sign(payload: string): Promise<string> {
      // Binary, not text mode: git hashes the commit object's exact bytes.
      const message = await openpgp.createMessage({ binary: new TextEncoder().encode(payload) })
      const signature = await openpgp.sign({
        message,
        signingKeys: signingKey,
        detached: true,
        format: 'armored',
      })
      return signature as string
    },
  }
}
