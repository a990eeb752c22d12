// Spawns test/support/daemon-worker.ts as a separate node process (one process: kill -9 really kills it).
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const entry = fileURLToPath(new URL('./daemon-worker.ts', import.meta.url))

export interface DaemonProcess {
  pid: number
  child: ChildProcess
  /** Sends the signal and resolves when the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>
}

export async function spawnDaemonProcess(env: Record<string, string>): Promise<DaemonProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('ready')) resolve()
    })
    child.once('exit', (code, signal) =>
      reject(new Error(`daemon worker exited (${code ?? signal}) before ready`)),
    )
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    pid: child.pid!,
    child,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      await exited
    },
  }
}
