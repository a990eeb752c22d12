// Spawns a daemon entry (test/support/daemon-worker.ts by default) as a separate node process, so kill -9
// really kills it. The entry prints "ready" once started.
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const entry = fileURLToPath(new URL('./daemon-worker.ts', import.meta.url))

export interface DaemonProcess {
  pid: number
  child: ChildProcess
  /** What the entry printed up to and including "ready" (an entry may print its URL there). */
  readyOutput: string
  /** Sends the signal and resolves when the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>
}

export async function spawnDaemonProcess(
  env: Record<string, string>,
  script = entry,
): Promise<DaemonProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const readyOutput = await new Promise<string>((resolve, reject) => {
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (/ready.*\n/.test(output)) resolve(output)
    })
    child.once('exit', (code, signal) =>
      reject(new Error(`daemon worker exited (${code ?? signal}) before ready`)),
    )
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    pid: child.pid!,
    child,
    readyOutput,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      await exited
    },
  }
}
