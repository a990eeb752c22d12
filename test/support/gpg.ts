// A throwaway OpenPGP identity made with the real gpg, for signed-commit tests: the secret key imagebot signs
// with, and a separate keyring holding only the public key that `git verify-commit` checks against.
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface TestSigningKey {
  /** The armored secret key, as a user would put in IMAGEBOT_SIGNING_KEY. */
  secretKey: string
  fingerprint: string
  /** Runs `git verify-commit` on a commit of a bare repository against the public-key-only keyring. */
  verifyCommit(gitDir: string, oid: string): Promise<{ ok: boolean; output: string }>
  stop(): Promise<void>
}

export async function createSigningKey(options: { passphrase?: string } = {}): Promise<TestSigningKey> {
  const secretHome = await mkdtemp(join(tmpdir(), 'imagebot-gpg-secret-'))
  const publicHome = await mkdtemp(join(tmpdir(), 'imagebot-gpg-public-'))
  const gpg = (home: string, args: string[], input?: string) => {
    const child = run('gpg', ['--batch', '--homedir', home, ...args], { maxBuffer: 1 << 20 })
    if (input !== undefined) child.child.stdin?.end(input)
    return child
  }
  const passphrase = options.passphrase ?? ''
  await gpg(secretHome, [
    '--pinentry-mode',
    'loopback',
    '--passphrase',
    passphrase,
    '--quick-gen-key',
    'imagebot test <imagebot@example.test>',
    'ed25519',
    'sign',
    'never',
  ])
  const listing = (await gpg(secretHome, ['--with-colons', '--list-secret-keys'])).stdout
  const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(listing)![1]!
  const exportArgs = ['--pinentry-mode', 'loopback', '--passphrase', passphrase, '--armor']
  const secretKey = (await gpg(secretHome, [...exportArgs, '--export-secret-keys', fingerprint])).stdout
  const publicKey = (await gpg(secretHome, ['--armor', '--export', fingerprint])).stdout
  await gpg(publicHome, ['--import'], publicKey)
  await gpg(publicHome, ['--import-ownertrust'], `${fingerprint}:6:\n`)
  return {
    secretKey,
    fingerprint,
    async verifyCommit(gitDir, oid) {
      try {
        const out = await run('git', ['--git-dir', gitDir, 'verify-commit', '--raw', oid], {
          env: { ...process.env, GNUPGHOME: publicHome },
        })
        return { ok: true, output: out.stderr }
      } catch (error) {
        return { ok: false, output: String((error as { stderr?: string }).stderr ?? error) }
      }
    },
    async stop() {
      await Promise.all([secretHome, publicHome].map((home) => rm(home, { recursive: true, force: true })))
    },
  }
}
