// The real CNCF distribution registry (Debian docker-registry 2.8) for tests, benchmarks and the
// demo, on 127.0.0.1 with a random port, storage in a temp dir. Auth modes: none, htpasswd
// (Basic, bcrypt), token (our token server). No vitest imports: benchmarks and the demo reuse it.
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { startTokenServer, type TokenServer } from './token-server.js'

const run = promisify(execFile)

export type RegistryAuthMode = 'none' | 'htpasswd' | 'token'

export interface StartRegistryOptions {
  auth?: RegistryAuthMode
  /** Token mode: whether anonymous callers may pull (default true). */
  anonymousPull?: boolean
  /** Token mode: identity tokens accepted by the refresh_token grant → user. */
  refreshTokens?: Record<string, string>
  /** Token mode: expires_in of issued tokens (default 300 s). */
  tokenExpiresIn?: number
  notifications?: { url: string; headers?: Record<string, string> }
  /** Parent of the temp dir (config, storage); default os.tmpdir(). */
  tmpRoot?: string
}

export interface TestRegistry {
  /** http://127.0.0.1:<port> */
  url: string
  /** 127.0.0.1:<port>, as written in image references. */
  host: string
  /** The user that may push and pull (htpasswd and token modes). */
  credentials: { username: string; password: string }
  tokenServer?: TokenServer
  /** The filesystem storage root; repositories live under docker/registry/v2/repositories/. */
  storageDir: string
  stop(): Promise<void>
}

const USER = 'imagebot'
const PASSWORD = 's3cret-Passw0rd'

export async function startRegistry(options: StartRegistryOptions = {}): Promise<TestRegistry> {
  const dir = await mkdtemp(join(options.tmpRoot ?? tmpdir(), 'imagebot-registry-'))
  const auth = options.auth ?? 'none'
  let tokenServer: TokenServer | undefined
  try {
    const config = baseConfig(dir)
    if (auth === 'htpasswd')
      config.auth = { htpasswd: { realm: 'imagebot-test', path: await writeHtpasswd(dir) } }
    if (auth === 'token') {
      tokenServer = await startTokenServer({
        dir,
        users: { [USER]: PASSWORD },
        anonymousPull: options.anonymousPull ?? true,
        ...(options.refreshTokens ? { refreshTokens: options.refreshTokens } : {}),
        ...(options.tokenExpiresIn ? { expiresIn: options.tokenExpiresIn } : {}),
      })
      const { realm, service, issuer, certPath } = tokenServer
      config.auth = { token: { realm, service, issuer, rootcertbundle: certPath } }
    }
    if (options.notifications) config.notifications = notificationConfig(options.notifications)
    // JSON is YAML, so no YAML library is needed to write the registry's config.
    const configPath = join(dir, 'config.yml')
    await writeFile(configPath, JSON.stringify(config))
    const child = spawn('docker-registry', ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'] })
    const port = await waitForPort(child)
    const host = `127.0.0.1:${port}`
    const server = tokenServer
    const registry: TestRegistry = {
      url: `http://${host}`,
      host,
      credentials: { username: USER, password: PASSWORD },
      storageDir: join(dir, 'data'),
      stop: async () => {
        await stopChild(child)
        await server?.stop()
        await removeTree(dir)
      },
    }
    if (server) registry.tokenServer = server
    return registry
  } catch (error) {
    await tokenServer?.stop()
    await rm(dir, { recursive: true, force: true })
    throw error
  }
}

/**
 * `rm -rf`: Node's recursive rm issues every sibling's removal at once, which for a benchmark's
 * 1,000 repositories × 200 link files took over 150 MB of heap.
 */
async function removeTree(dir: string): Promise<void> {
  await run('rm', ['-rf', '--', dir]).catch(() => rm(dir, { recursive: true, force: true }))
}

function baseConfig(dir: string): Record<string, unknown> {
  return {
    version: 0.1,
    // Info level is needed for the "listening on" line; the access log would only cost time.
    log: { level: 'info', formatter: 'text', accesslog: { disabled: true } },
    storage: {
      filesystem: { rootdirectory: join(dir, 'data') },
      cache: { blobdescriptor: 'inmemory' },
      delete: { enabled: true },
    },
    http: { addr: '127.0.0.1:0', secret: 'imagebot-test-secret' },
    health: { storagedriver: { enabled: false } },
  }
}

async function writeHtpasswd(dir: string): Promise<string> {
  const { stdout } = await run('htpasswd', ['-Bbn', USER, PASSWORD])
  const path = join(dir, 'htpasswd')
  await writeFile(path, stdout)
  return path
}

function notificationConfig(target: { url: string; headers?: Record<string, string> }) {
  const headers = Object.fromEntries(
    Object.entries(target.headers ?? {}).map(([key, value]) => [key, [value]]),
  )
  return {
    endpoints: [
      { name: 'imagebot', url: target.url, headers, timeout: '1s', threshold: 3, backoff: '100ms' },
    ],
  }
}

/** Reads the log until "listening on 127.0.0.1:<port>", then keeps draining so the pipe never fills. */
function waitForPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let log = ''
    const timer = setTimeout(
      () => fail(new Error(`docker-registry did not start within 10 s:\n${log}`)),
      10_000,
    )
    const onData = (chunk: Buffer) => {
      if (log.length < 20_000) log += chunk.toString('utf8')
      const match = /listening on 127\.0\.0\.1:(\d+)/.exec(log)
      if (match) {
        clearTimeout(timer)
        resolve(Number(match[1]))
      }
    }
    const fail = (error: Error) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(error)
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('error', fail)
    child.once('exit', (code) =>
      fail(new Error(`docker-registry exited (${code}) before listening:\n${log}`)),
    )
  })
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3_000)
    child.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
