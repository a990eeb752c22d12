// A real smart-HTTP git server for tests, benchmarks and the demo: node:http in front of git-http-backend (CGI),
// bound to 127.0.0.1 on a random port. Repositories are seeded and inspected through the git CLI, never through
// the code under test. No vitest imports: the demo reuses this module.
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { authorizedUser, runBackend } from './git-cgi.js'
import { type GitCli, gitCli } from './git-cli.js'
import {
  type FastImportCommit,
  fastImportStream,
  type LogEntry,
  parseLog,
  parseLsTree,
  type SeedFiles,
  type TreeEntry,
} from './git-seed.js'

export type { LogEntry, SeedFile, SeedFiles, TreeEntry } from './git-seed.js'

const REPO_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

export interface GitServerOptions {
  /** When set, every request must carry these Basic credentials (401 with WWW-Authenticate otherwise). */
  auth?: { username: string; password: string }
  /** Directory holding the bare repositories; a fresh temp dir (removed on close) by default. */
  root?: string
}

export interface HumanCommitOptions {
  message?: string
  author?: { name: string; email: string }
}

export class GitTestServer {
  /** Requests answered so far (benchmarks report round trips). */
  requests = 0
  private failures: { remaining: number; status: number } = { remaining: 0, status: 503 }

  private constructor(
    private readonly server: Server,
    readonly root: string,
    readonly baseUrl: string,
    private readonly cli: GitCli,
    private readonly ownsRoot: boolean,
  ) {}

  static async start(options: GitServerOptions = {}): Promise<GitTestServer> {
    const ownsRoot = options.root === undefined
    const root = options.root ?? (await mkdtemp(join(tmpdir(), 'imagebot-git-server-')))
    const cli = gitCli(root)
    let instance: GitTestServer | undefined
    const server = createServer((req, res) => {
      instance?.handle(req, res, options.auth)
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', resolve)
    })
    const { port } = server.address() as AddressInfo
    instance = new GitTestServer(server, root, `http://127.0.0.1:${port}`, cli, ownsRoot)
    return instance
  }

  /** The clone URL of repository `name` (stored as `<root>/<name>.git`). */
  repoUrl(name: string): string {
    return `${this.baseUrl}/${checkName(name)}.git`
  }

  /** Creates a bare repository with one initial commit (fixed author and date) holding `files`. */
  async createBareRepo(name: string, files: SeedFiles, options: { branch?: string } = {}): Promise<string> {
    const branch = options.branch ?? 'main'
    const gitDir = this.gitDir(name)
    await this.cli.run(['init', '--quiet', '--bare', `--initial-branch=${branch}`, gitDir])
    await this.cli.run(['config', 'http.receivepack', 'true'], gitDir)
    return this.commit(name, branch, files, { message: 'Initial commit' })
  }

  /** Lands a commit on `branch` as a human would (null deletes a path); creates the branch if absent. */
  async commit(
    name: string,
    branch: string,
    files: SeedFiles,
    options: HumanCommitOptions = {},
  ): Promise<string> {
    const gitDir = this.gitDir(name)
    const parent = await this.head(name, branch)
    const stream = fastImportStream(this.commitSpec(branch, files, options, parent))
    await this.cli.run(['fast-import', '--quiet'], gitDir, stream)
    return (await this.head(name, branch))!
  }

  /** Writes hooks/<kind> (an executable shell script) into the bare repository. */
  async installHook(name: string, kind: 'pre-receive' | 'update', script: string): Promise<void> {
    await this.cli.writeExecutable(join(this.gitDir(name), 'hooks', kind), script)
  }

  /**
   * Simulates a race: on the first push only, a pre-receive hook lands a human commit with `files` on `branch`.
   * With `reject` (default) the hook then declines the push; without it, the push fails on the server's
   * compare-and-swap of the ref because the branch moved under it.
   */
  async installRaceHook(
    name: string,
    branch: string,
    files: SeedFiles,
    options: HumanCommitOptions & { reject?: boolean } = {},
  ): Promise<void> {
    const gitDir = this.gitDir(name)
    const spec = this.commitSpec(branch, files, { message: 'Human change during the bot push', ...options })
    await this.cli.writeFile(join(gitDir, 'race.fi'), fastImportStream({ ...spec, fromRef: true }))
    const exit = options.reject === false ? 0 : 1
    // Objects pushed to a pre-receive hook sit in a quarantine; the human commit must land outside of it.
    const script = `#!/bin/sh
[ -e race.done ] && exit 0
touch race.done
env -u GIT_QUARANTINE_PATH -u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES \\
  git fast-import --quiet < race.fi || exit 2
echo "race: a human commit landed first" >&2
exit ${exit}
`
    await this.installHook(name, 'pre-receive', script)
  }

  /** While above 0, every request waits this long before git answers it (a slow server, for crash tests). */
  holdRequestsMs = 0

  /** Answers the next `count` requests with `status` (5xx simulations). */
  failNextRequests(count: number, status = 503): void {
    this.failures = { remaining: count, status }
  }

  async head(name: string, branch: string): Promise<string | undefined> {
    const out = await this.cli.tryRun(
      ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`],
      this.gitDir(name),
    )
    return out?.trim() || undefined
  }

  async readFile(name: string, branch: string, path: string): Promise<string> {
    return this.cli.run(['show', `refs/heads/${branch}:${path}`], this.gitDir(name))
  }

  async readBytes(name: string, branch: string, path: string): Promise<Buffer> {
    return this.cli.runBytes(['show', `refs/heads/${branch}:${path}`], this.gitDir(name))
  }

  /** Newest first. */
  async log(name: string, branch: string): Promise<LogEntry[]> {
    const format = '--format=%H%x00%P%x00%an%x00%ae%x00%cn%x00%ce%x00%B%x1e'
    return parseLog(await this.cli.run(['log', format, `refs/heads/${branch}`], this.gitDir(name)))
  }

  async lsTree(name: string, branch: string): Promise<TreeEntry[]> {
    return parseLsTree(await this.cli.run(['ls-tree', '-r', '-z', `refs/heads/${branch}`], this.gitDir(name)))
  }

  /** Runs any git command in the bare repository (for assertions the helpers above do not cover). */
  async git(name: string, args: string[], stdin?: string): Promise<string> {
    return this.cli.run(args, this.gitDir(name), stdin)
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
    if (this.ownsRoot) await rm(this.root, { recursive: true, force: true })
  }

  private gitDir(name: string): string {
    return join(this.root, `${checkName(name)}.git`)
  }

  private commitSpec(
    branch: string,
    files: SeedFiles,
    options: HumanCommitOptions,
    parent?: string,
  ): FastImportCommit {
    return {
      ref: `refs/heads/${branch}`,
      files,
      message: options.message ?? 'Human change',
      author: options.author ?? { name: 'Human Dev', email: 'human@example.test' },
      parent,
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse, auth: GitServerOptions['auth']): void {
    this.requests++
    if (this.failures.remaining > 0) {
      this.failures.remaining--
      res.writeHead(this.failures.status).end('simulated failure\n')
      return
    }
    const user = auth ? authorizedUser(req, auth) : ''
    if (user === undefined) {
      res
        .writeHead(401, { 'WWW-Authenticate': 'Basic realm="imagebot-test-git"' })
        .end('authentication required\n')
      return
    }
    if (this.holdRequestsMs > 0)
      setTimeout(() => runBackend(req, res, this.root, this.cli.env, user), this.holdRequestsMs)
    else runBackend(req, res, this.root, this.cli.env, user)
  }
}

export function startGitServer(options: GitServerOptions = {}): Promise<GitTestServer> {
  return GitTestServer.start(options)
}

function checkName(name: string): string {
  if (!REPO_NAME.test(name)) throw new Error(`invalid test repository name "${name}"`)
  return name
}
