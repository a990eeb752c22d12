// Signed bot commits with an SSH key: what `git commit -S` writes with gpg.format=ssh, an armored SSHSIG
// signature (namespace "git", hash sha512) over the commit object, put in its gpgsig header by isomorphic-git's
// onSign. `sshpk` reads the key (and decrypts an OpenSSH-format key); node:crypto makes the signature. Only the
// SSHSIG envelope is written here, following OpenSSH's PROTOCOL.sshsig
// (https://github.com/openssh/openssh-portable/blob/master/PROTOCOL.sshsig).
import { createHash, createPrivateKey, type KeyObject, sign } from 'node:crypto'
import sshpk from 'sshpk'
import type { CommitSigner, SigningKeySettings } from './signing.js'

/** Key texts this signer takes: OpenSSH's own format and the PEM forms `ssh-keygen -m PEM` and openssl write. */
const SSH_KEY_HEADER = /-----BEGIN (OPENSSH|RSA|EC|ENCRYPTED) PRIVATE KEY-----|-----BEGIN PRIVATE KEY-----/

export function isSshPrivateKey(text: string): boolean {
  return SSH_KEY_HEADER.test(text)
}

/** Why a key cannot be used, worded for the user; never holds the key or the passphrase. */
export class SshKeyProblem extends Error {}

/** git's namespace for commit and tag signatures (`ssh-keygen -Y sign -n git`). */
const NAMESPACE = 'git'
const HASH = 'sha512'
const ARMOR_WIDTH = 70 // ssh-keygen's line length (sshbuf_dtob64), so our signatures look like its own

/** How each key type signs: SSH's signature algorithm name and the digest node:crypto applies. */
interface Scheme {
  algorithm: string
  digest: string | null
  /** The signature as SSH carries it inside its `string algorithm, string signature` blob. */
  encode(raw: Buffer): Buffer
}

export function createSshSigner(settings: SigningKeySettings): CommitSigner {
  const parsed = readKey(settings)
  const scheme = schemeFor(parsed)
  const privateKey = nodeKey(parsed)
  const publicBlob = parsed.toPublic().toBuffer('rfc4253')
  return {
    keyId: parsed.fingerprint('sha256').toString(),
    async sign(payload: string): Promise<string> {
      // PROTOCOL.sshsig "Signed Data": the key signs this blob, never the message itself.
      const signedData = Buffer.concat([
        Buffer.from('SSHSIG'),
        sshString(NAMESPACE),
        sshString(''), // reserved
        sshString(HASH),
        sshString(createHash(HASH).update(payload, 'utf8').digest()),
      ])
      // ieee-p1363: an ECDSA signature as r‖s rather than DER, so that it can be written as two mpints.
      const raw = sign(scheme.digest, signedData, { key: privateKey, dsaEncoding: 'ieee-p1363' })
      const signatureBlob = Buffer.concat([sshString(scheme.algorithm), sshString(scheme.encode(raw))])
      // PROTOCOL.sshsig "Blob format".
      const envelope = Buffer.concat([
        Buffer.from('SSHSIG'),
        uint32(1), // SIG_VERSION
        sshString(publicBlob),
        sshString(NAMESPACE),
        sshString(''),
        sshString(HASH),
        sshString(signatureBlob),
      ])
      const lines = envelope.toString('base64').match(new RegExp(`.{1,${ARMOR_WIDTH}}`, 'g'))!
      return `-----BEGIN SSH SIGNATURE-----\n${lines.join('\n')}\n-----END SSH SIGNATURE-----\n`
    },
  }
}

function readKey(settings: SigningKeySettings): sshpk.PrivateKey {
  const text = settings.key
  if (/-----BEGIN OPENSSH PRIVATE KEY-----/.test(text)) {
    try {
      return sshpk.parsePrivateKey(text, 'openssh', withPassphrase(settings.passphrase))
    } catch (error) {
      if ((error as Error).name === 'KeyEncryptedError')
        throw new SshKeyProblem('the key is protected: give its passphrase')
      if (settings.passphrase !== undefined && /passphrase/i.test((error as Error).message))
        throw new SshKeyProblem('the passphrase does not unlock the key')
      throw new SshKeyProblem(unreadable)
    }
  }
  // PEM keys are decrypted by node:crypto: sshpk 1.18 reports a wrong passphrase on an encrypted PEM key by
  // throwing from a stream event handler, which no caller can catch and which would end the process.
  const encrypted = /^Proc-Type: 4,ENCRYPTED/m.test(text) || text.includes('BEGIN ENCRYPTED PRIVATE KEY')
  if (encrypted && settings.passphrase === undefined)
    throw new SshKeyProblem('the key is protected: give its passphrase')
  let decrypted: string
  try {
    const key = createPrivateKey(
      encrypted
        ? { key: text, format: 'pem', passphrase: settings.passphrase! }
        : { key: text, format: 'pem' },
    )
    decrypted = key.export({ type: 'pkcs8', format: 'pem' }) as string
  } catch (error) {
    if (encrypted && /bad decrypt/i.test(String((error as Error).message)))
      throw new SshKeyProblem('the passphrase does not unlock the key')
    throw new SshKeyProblem(unreadable)
  }
  try {
    return sshpk.parsePrivateKey(decrypted, 'pem')
  } catch {
    throw new SshKeyProblem(unreadable)
  }
}

const unreadable = 'not a readable SSH private key (write one with ssh-keygen -t ed25519 -f bot-signing)'

function withPassphrase(passphrase: string | undefined): { passphrase?: string } {
  return passphrase === undefined ? {} : { passphrase }
}

/** SSH's algorithms for git signatures: ed25519, RSA with SHA-512 (`ssh-keygen -Y sign`'s default), ECDSA. */
function schemeFor(key: sshpk.PrivateKey): Scheme {
  switch (key.type) {
    case 'ed25519':
      return { algorithm: 'ssh-ed25519', digest: null, encode: (raw) => raw }
    case 'rsa':
      return { algorithm: 'rsa-sha2-512', digest: 'sha512', encode: (raw) => raw }
    case 'ecdsa': {
      const digest = { nistp256: 'sha256', nistp384: 'sha384', nistp521: 'sha512' }[key.curve as string]
      if (digest === undefined)
        throw new SshKeyProblem(`the ECDSA curve ${key.curve} is not one SSH signs with`)
      // RFC 5656 §3.1.2: r and s as mpints; node gives them as fixed-width halves with ieee-p1363.
      return {
        algorithm: `ecdsa-sha2-${key.curve}`,
        digest,
        encode: (raw) => {
          const half = raw.length / 2
          return Buffer.concat([sshMpint(raw.subarray(0, half)), sshMpint(raw.subarray(half))])
        },
      }
    }
    default:
      // DSA signs with SHA-1 only, which git and GitHub refuse; security-key (sk-*) keys need their device.
      throw new SshKeyProblem(`${key.type} keys cannot sign commits: use an ed25519, RSA or ECDSA key`)
  }
}

/** The key in node:crypto's form. Ed25519 goes by JWK: sshpk's PKCS#8 output for it is not one OpenSSL reads. */
function nodeKey(key: sshpk.PrivateKey): KeyObject {
  if (key.type === 'ed25519') {
    const parts = key.part as unknown as Record<'k' | 'A', { data: Buffer }>
    return createPrivateKey({
      key: {
        kty: 'OKP',
        crv: 'Ed25519',
        d: parts.k.data.subarray(0, 32).toString('base64url'),
        x: parts.A.data.toString('base64url'),
      },
      format: 'jwk',
    })
  }
  return createPrivateKey({ key: key.toString('pkcs8'), format: 'pem' })
}

function uint32(value: number): Buffer {
  const buffer = Buffer.alloc(4)
  buffer.writeUInt32BE(value)
  return buffer
}

/** RFC 4251 §5 `string`: a uint32 length, then the bytes. */
function sshString(value: string | Buffer): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value
  return Buffer.concat([uint32(bytes.length), bytes])
}

/** RFC 4251 §5 `mpint` of a non-negative big-endian integer: no leading zeros, a zero byte if the top bit is set. */
function sshMpint(bigEndian: Buffer): Buffer {
  let start = 0
  while (start < bigEndian.length && bigEndian[start] === 0) start++
  const digits = bigEndian.subarray(start)
  return sshString(
    digits.length > 0 && digits[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), digits]) : digits,
  )
}
