// Throwaway SSH signing keys made with the real ssh-keygen, for signed-commit tests, and the checks git and
// ssh-keygen themselves make: an allowed-signers file holding only the public key (`<email> <public key>`), as a
// user's `gpg.ssh.allowedSignersFile` would.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface TestSshKeyOptions {
  type: 'ed25519' | 'rsa' | 'ecdsa'
  passphrase?: string
  /** Write the private key as PEM or PKCS#8 (`ssh-keygen -m PEM|PKCS8`) instead of OpenSSH's own format. */
  format?: 'PEM' | 'PKCS8'
  /** The principal in the allowed-signers file. */
  email: string
}

export interface TestSshKey {
  /** The private key file's text, as a user would put in IMAGEBOT_SIGNING_KEY. */
  privateKey: string
  privateKeyPath: string
  /** `SHA256:…`, as ssh-keygen -l prints it. */
  fingerprint: string
  /** `git verify-commit` of a commit in a bare repository, with gpg.format=ssh and only this key allowed. */
  verifyCommit(gitDir: string, oid: string): Promise<{ ok: boolean; output: string }>
  /** `ssh-keygen -Y verify -n git` of a signature over a payload (what git runs for a commit). */
  verifyPayload(payload: string, signature: string): Promise<{ ok: boolean; output: string }>
  stop(): Promise<void>
}

export async function createSshKey(options: TestSshKeyOptions): Promise<TestSshKey> {
  const home = await mkdtemp(join(tmpdir(), 'imagebot-ssh-key-'))
  const privateKeyPath = join(home, 'bot-signing')
  const bits = options.type === 'rsa' ? ['-b', '3072'] : []
  const format = options.format ? ['-m', options.format] : []
  await run('ssh-keygen', [
    '-q',
    '-t',
    options.type,
    ...bits,
    ...format,
    '-N',
    options.passphrase ?? '',
    '-C',
    options.email,
    '-f',
    privateKeyPath,
  ])
  const publicKey = (await readFile(`${privateKeyPath}.pub`, 'utf8')).trim()
  const allowedSigners = join(home, 'allowed_signers')
  await writeFile(allowedSigners, `${options.email} ${publicKey}\n`)
  const listed = (await run('ssh-keygen', ['-l', '-f', `${privateKeyPath}.pub`])).stdout
  const settle = async (command: Promise<{ stdout: string; stderr: string }>) => {
    try {
      const out = await command
      return { ok: true, output: `${out.stdout}${out.stderr}` }
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string }
      return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? String(error)}` }
    }
  }
  return {
    privateKey: await readFile(privateKeyPath, 'utf8'),
    privateKeyPath,
    fingerprint: /(SHA256:\S+)/.exec(listed)![1]!,
    verifyCommit(gitDir, oid) {
      return settle(
        run('git', [
          '-c',
          'gpg.format=ssh',
          '-c',
          `gpg.ssh.allowedSignersFile=${allowedSigners}`,
          '--git-dir',
          gitDir,
          'verify-commit',
          oid,
        ]),
      )
    },
    async verifyPayload(payload, signature) {
      const signaturePath = join(home, 'payload.sig')
      await writeFile(signaturePath, signature)
      const verify = run('ssh-keygen', [
        '-Y',
        'verify',
        '-f',
        allowedSigners,
        '-I',
        options.email,
        '-n',
        'git',
        '-s',
        signaturePath,
      ])
      verify.child.stdin?.end(payload)
      return settle(verify)
    },
    stop: () => rm(home, { recursive: true, force: true }),
  }
}
