// Shared by the hostile-client tests and benchmark: the daemon's HTTP server in a process of its own
// (test/support/web-daemon.ts), stalling clients in another (test/support/stalling-clients.ts), and what
// the daemon process costs, read from /proc.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { waitFor } from './daemon-helpers.js'
import { type DaemonProcess, spawnDaemonProcess } from './daemon-process.js'

const webEntry = new URL('./web-daemon.ts', import.meta.url).pathname
const stallingEntry = new URL('./stalling-clients.ts', import.meta.url).pathname

export interface WebDaemon {
  process: DaemonProcess
  port: number
}

export async function spawnWebDaemon(env: {
  webhooks: { type: string; secret: string }[]
  limits?: Record<string, number>
  images?: string[]
}): Promise<WebDaemon> {
  const process = await spawnDaemonProcess(
    {
      WEBHOOKS: JSON.stringify(env.webhooks),
      HTTP_LIMITS: JSON.stringify(env.limits ?? {}),
      IMAGES: JSON.stringify(env.images ?? []),
    },
    webEntry,
  )
  return { process, port: Number(new URL(/ready (\S+)/.exec(process.readyOutput)![1]!).port) }
}

/** CPU time a process used so far (user + system), in ms. */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
}

export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024
}

/** The request line and headers of a POST, ready to write on a socket. */
export function requestHead(port: number, path: string, headers: Record<string, string | number>): string {
  const lines = Object.entries({ host: `127.0.0.1:${port}`, 'content-type': 'application/json', ...headers })
  return `POST ${path} HTTP/1.1\r\n${lines.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`
}

export interface Outcome {
  /** The status line the server sent, '' when none arrived. */
  status: string
  /** When the server closed the connection, ms after connecting. */
  afterMs: number
}

/**
 * Loads `count` stalling clients in a child process; `attack()` lets them connect, send `head` and `bytes`
 * bytes of body and stall, and resolves with each connection's outcome once the server closed them all.
 */
export async function stallingClients(port: number, count: number, head: string, bytes: number) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', stallingEntry, JSON.stringify({ port, count, head, bytes })],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  )
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const exited = new Promise<Outcome[]>((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(output.slice(output.indexOf('\n') + 1)))
        : reject(new Error(`exit ${code}`)),
    ),
  )
  await waitFor(() => output.startsWith('loaded\n'), 'the clients to load')
  return {
    attack: () => {
      child.stdin.end('go\n')
      return exited
    },
  }
}

/** Asks /healthz every 25 ms while `during` runs: every answer's status and the slowest one in ms. */
export async function healthzDuring<T>(
  port: number,
  during: () => Promise<T>,
): Promise<{ result: T; statuses: number[]; slowestMs: number }> {
  let slowestMs = 0
  const statuses: number[] = []
  let done = false
  const sampler = (async () => {
    while (!done) {
      const started = performance.now()
      const response = await fetch(`http://127.0.0.1:${port}/healthz`)
      await response.text()
      statuses.push(response.status)
      slowestMs = Math.max(slowestMs, performance.now() - started)
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  })()
  try {
    return { result: await during(), statuses, slowestMs }
  } finally {
    done = true
    await sampler
  }
}

/** Samples a process's RSS every 20 ms; stop() ends sampling and gives how far its peak rose above the start. */
export function watchRssGrowth(pid: number): { stop(): number } {
  const before = rssBytes(pid)
  let peak = before
  const timer = setInterval(() => {
    peak = Math.max(peak, rssBytes(pid))
  }, 20)
  return {
    stop() {
      clearInterval(timer)
      return Math.max(peak, rssBytes(pid)) - before
    },
  }
}
