// Where push → pushed commit spends its time: the daemon's stage marks (src/stage-timing.ts) collected
// in-process, cut per push, and a busy child process that keeps one core loaded while the bench runs.
import { type ChildProcess, spawn } from 'node:child_process'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { STAGES, type StageMark, stageChannel } from '../src/stage-timing.js'
import { type BenchFigure, formatNumber } from './figure.js'

export interface StageRecorder {
  marks: StageMark[]
  /** Resolves at the first `pushed` mark after `since`. */
  pushedAfter(since: number, timeoutMs: number): Promise<number>
  stop(): void
}

export function recordStages(): StageRecorder {
  const marks: StageMark[] = []
  const waiters: { since: number; resolve: (at: number) => void }[] = []
  const listener = (message: unknown) => {
    const mark = message as StageMark
    marks.push(mark)
    if (mark.stage !== 'pushed') return
    for (const waiter of waiters.splice(0).filter((w) => mark.at >= w.since)) waiter.resolve(mark.at)
  }
  subscribe(stageChannel.name, listener)
  return {
    marks,
    pushedAfter: (since, timeoutMs) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no push within ${timeoutMs} ms`)), timeoutMs)
        waiters.push({
          since,
          resolve: (at) => {
            clearTimeout(timer)
            resolve(at)
          },
        })
      }),
    stop: () => unsubscribe(stageChannel.name, listener),
  }
}

/** Time from the previous stage (the image push's start for the first) to each stage, for one push. */
export function stageDurations(marks: StageMark[], started: number, ended: number): Map<string, number> {
  const durations = new Map<string, number>()
  let previous = started
  for (const stage of STAGES) {
    const mark = marks.find((m) => m.stage === stage && m.at >= previous && m.at <= ended)
    if (!mark) continue
    durations.set(stage, mark.at - previous)
    previous = mark.at
  }
  return durations
}

/** p50 / p95 of each stage over the pushes; `image push done` (the client's own push) is shown apart. */
export function stageFigures(label: string, perPush: Map<string, number>[]): BenchFigure[] {
  return ['image push done', ...STAGES].flatMap((stage) => {
    const values = perPush.map((d) => d.get(stage)).filter((v) => v !== undefined)
    if (values.length === 0) return []
    const sorted = values.sort((a, b) => a - b)
    const p50 = percentile(sorted, 0.5)
    const p95 = percentile(sorted, 0.95)
    return [{ name: `  ${label} → ${stage}, p50 / p95`, value: p50, unit: `ms / ${formatNumber(p95)} ms` }]
  })
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN
}

/** A second process spinning one core, ending by itself after `maxMs` should the bench die first. */
export function loadOneCore(maxMs: number): { stop(): Promise<void> } {
  const child: ChildProcess = spawn(
    process.execPath,
    ['-e', `const end = Date.now() + ${maxMs}; while (Date.now() < end) {}`],
    { stdio: 'ignore' },
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGKILL')
      await exited
    },
  }
}
