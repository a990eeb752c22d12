// A real redis-server for tests on a random loopback port, in its own temporary directory.
// restart() keeps the port and the directory, so with `appendonly` the data survives a crash.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface RedisServerOptions {
  /** Persist every write to an append-only file (fsync always) so a restart keeps queues. */
  appendonly?: boolean
}

export interface TestRedis {
  url: string
  port: number
  dir: string
  /** Ends the server as a crash would (SIGKILL). */
  kill(): Promise<void>
  /** Starts the server again on the same port and directory. */
  start(): Promise<void>
  /** kill() then start(). */
  restart(): Promise<void>
  /** Kills the server and removes its directory. */
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

function redisArgs(port: number, dir: string, appendonly: boolean): string[] {
  const persistence = appendonly ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']
  return ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...persistence]
}

/** Resolves when redis prints that it accepts connections; rejects if it exits first. */
function waitReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = ''
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData)
        child.stdout?.resume()
        resolve()
      }
    }
    child.stdout?.on('data', onData)
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before ready:\n${output}`)))
  })
}

function killChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })
}

export async function startRedis(options: RedisServerOptions = {}): Promise<TestRedis> {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'imagebot-redis-'))
  let child: ChildProcess | undefined
  const start = async () => {
    child = spawn('redis-server', redisArgs(port, dir, options.appendonly ?? false), {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    await waitReady(child)
  }
  const kill = () => killChild(child)
  await start()
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    kill,
    start,
    restart: async () => {
      await kill()
      await start()
    },
    stop: async () => {
      await kill()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
