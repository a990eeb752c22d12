// The git CLI as the test server's independent witness: seeding, hooks and assertions never go through the
// isomorphic-git code under test. Runs with an isolated HOME and no system config so the machine's settings
// cannot change results.
import { execFile } from 'node:child_process'
import { chmod, writeFile } from 'node:fs/promises'

export interface GitCli {
  readonly env: NodeJS.ProcessEnv
  run(args: string[], gitDir?: string, stdin?: string | Buffer): Promise<string>
  runBytes(args: string[], gitDir?: string, stdin?: string | Buffer): Promise<Buffer>
  /** Undefined instead of an error when git exits non-zero (e.g. rev-parse of a missing branch). */
  tryRun(args: string[], gitDir?: string): Promise<string | undefined>
  writeFile(path: string, content: string | Buffer): Promise<void>
  writeExecutable(path: string, content: string): Promise<void>
}

export function gitCli(home: string): GitCli {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    LANG: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
  }
  const runBytes = (args: string[], gitDir?: string, stdin?: string | Buffer) =>
    execGit(env, gitDir ? ['--git-dir', gitDir, ...args] : args, stdin)
  return {
    env,
    runBytes,
    run: async (args, gitDir, stdin) => (await runBytes(args, gitDir, stdin)).toString('utf8'),
    tryRun: async (args, gitDir) => {
      try {
        return (await runBytes(args, gitDir)).toString('utf8')
      } catch {
        return undefined
      }
    },
    writeFile: (path, content) => writeFile(path, content),
    writeExecutable: async (path, content) => {
      await writeFile(path, content)
      await chmod(path, 0o755)
    },
  }
}

function execGit(env: NodeJS.ProcessEnv, args: string[], stdin?: string | Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      { env, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`git ${args.join(' ')} failed: ${stderr.toString('utf8').trim()}`))
        else resolve(stdout)
      },
    )
    // git may exit without reading its input (e.g. on an error); that must not crash the caller.
    child.stdin?.on('error', () => {})
    child.stdin?.end(stdin ?? '')
  })
}
