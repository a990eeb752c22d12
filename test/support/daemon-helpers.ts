// Helpers for the daemon tests: polling, and recording handlers that log each call's start and end.
import { appendFileSync, existsSync, readFileSync } from 'node:fs'
import type {
  PipelineHandlers,
  ScanOutcome,
  ScheduledImage,
  UpdateOutcome,
} from '../../src/queue/contract.js'

export async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 10_000,
  everyMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(everyMs)
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

export interface CallEvent {
  kind: 'discover' | 'scan' | 'update'
  phase: 'start' | 'end'
  key: string
  at: number
  pid: number
}

/** Where recording handlers put their events: memory for in-process tests, a file across processes. */
export interface EventLog {
  add(event: CallEvent): void
  all(): CallEvent[]
}

export function memoryLog(): EventLog {
  const events: CallEvent[] = []
  return { add: (event) => events.push(event), all: () => [...events] }
}

/** One JSON line per event; appends of short lines from several processes do not interleave. */
export function fileLog(path: string): EventLog {
  return {
    add: (event) => appendFileSync(path, `${JSON.stringify(event)}\n`),
    all: () =>
      existsSync(path)
        ? readFileSync(path, 'utf8')
            .split('\n')
            .filter((line) => line.length > 0)
            .map((line) => JSON.parse(line) as CallEvent)
        : [],
  }
}

export interface RecordingSetup {
  log: EventLog
  /** What discover() returns; tests change it between discoveries. */
  images: ScheduledImage[]
  /** Duration of one update() call. */
  updateMs?: number
  scanMs?: number
  /** What scan() reports for an image; default: unchanged. */
  scanOutcome?: (image: string) => ScanOutcome
  updateOutcome?: (repo: string) => UpdateOutcome
}

export function recordingHandlers(setup: RecordingSetup): PipelineHandlers {
  const record = async <T>(kind: CallEvent['kind'], key: string, ms: number, result: () => T): Promise<T> => {
    setup.log.add({ kind, phase: 'start', key, at: Date.now(), pid: process.pid })
    if (ms > 0) await sleep(ms)
    const value = result()
    setup.log.add({ kind, phase: 'end', key, at: Date.now(), pid: process.pid })
    return value
  }
  return {
    discover: () => record('discover', 'discover', 0, () => setup.images.map((image) => ({ ...image }))),
    scan: (image) =>
      record('scan', image, setup.scanMs ?? 0, () =>
        setup.scanOutcome
          ? setup.scanOutcome(image)
          : { changed: false, affectedConfigRepos: [], tagsSeen: 3 },
      ),
    update: (repo) =>
      record('update', repo, setup.updateMs ?? 0, () =>
        setup.updateOutcome ? setup.updateOutcome(repo) : { updates: 0, errors: [], targets: [] },
      ),
  }
}

export function count(events: CallEvent[], kind: CallEvent['kind'], phase: CallEvent['phase'], key?: string) {
  return events.filter((e) => e.kind === kind && e.phase === phase && (key === undefined || e.key === key))
    .length
}

/** Pairs each key's start/end events in time order; throws if two runs of one key overlap. */
export function assertNoOverlap(events: CallEvent[], kind: CallEvent['kind']): void {
  const byKey = new Map<string, CallEvent[]>()
  for (const event of events.filter((e) => e.kind === kind)) {
    byKey.set(event.key, [...(byKey.get(event.key) ?? []), event])
  }
  for (const [key, list] of byKey) {
    const sorted = list.sort((a, b) => a.at - b.at || (a.phase === 'end' ? -1 : 1))
    let open = 0
    for (const event of sorted) {
      open += event.phase === 'start' ? 1 : -1
      if (open > 1) throw new Error(`two ${kind} runs of ${key} overlap at ${event.at}`)
    }
  }
}
