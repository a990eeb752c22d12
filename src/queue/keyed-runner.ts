// In-process keyed job runner for the embedded backend: the same job semantics as the BullMQ backend
// (see backend.ts) without Redis. One runner per job kind.
import { backoffDelay, type JobVerdict } from './backend.js'

export type KeyedProcessor = (key: string) => Promise<JobVerdict>

export interface KeyedRunnerOptions {
  concurrency: number
  attempts: number
  backoffMs: number
  /** Called when a job failed its last attempt; the runner drops it. */
  onDropped: (key: string, error: unknown) => void
}

interface Entry {
  state: 'delayed' | 'ready' | 'active'
  timer?: NodeJS.Timeout
  /** Failed runs so far of this job. */
  failures: number
  /** Set when an enqueue arrived while the job ran: the delay of the one job to run after it. */
  rerunDelayMs?: number
}

export class KeyedRunner {
  private readonly entries = new Map<string, Entry>()
  private readonly readyKeys: string[] = []
  private readonly running = new Set<Promise<void>>()
  private processor: KeyedProcessor | undefined
  private closed = false

  constructor(private readonly options: KeyedRunnerOptions) {}

  /** Starts consuming: jobs enqueued before wait until a processor is set. */
  setProcessor(processor: KeyedProcessor): void {
    this.processor = processor
    this.pump()
  }

  enqueue(key: string, delayMs: number): void {
    if (this.closed) return
    const entry = this.entries.get(key)
    if (entry === undefined) {
      const fresh: Entry = { state: 'delayed', failures: 0 }
      this.entries.set(key, fresh)
      this.delay(key, fresh, delayMs)
    } else if (entry.state === 'active') {
      entry.rerunDelayMs = delayMs
    }
    // delayed or ready: this trigger is absorbed by the job that is waiting.
  }

  /** Keys with a job waiting or running, for tests and status. */
  pendingKeys(): string[] {
    return [...this.entries.keys()]
  }

  /** Jobs ready to run (not those in their coalescing delay) and running, for the status page. */
  counts(): { waiting: number; active: number } {
    let active = 0
    for (const entry of this.entries.values()) if (entry.state === 'active') active++
    return { waiting: this.readyKeys.length, active }
  }

  async close(): Promise<void> {
    this.closed = true
    for (const entry of this.entries.values()) clearTimeout(entry.timer)
    this.readyKeys.length = 0
    await Promise.allSettled([...this.running])
    this.entries.clear()
  }

  private delay(key: string, entry: Entry, delayMs: number): void {
    entry.state = 'delayed'
    entry.timer = setTimeout(() => {
      entry.timer = undefined
      entry.state = 'ready'
      this.readyKeys.push(key)
      this.pump()
    }, delayMs)
  }

  private pump(): void {
    while (!this.closed && this.processor && this.running.size < this.options.concurrency) {
      const key = this.readyKeys.shift()
      if (key === undefined) return
      const run = this.run(key, this.processor).finally(() => {
        this.running.delete(run)
        this.pump()
      })
      this.running.add(run)
    }
  }

  private async run(key: string, processor: KeyedProcessor): Promise<void> {
    const entry = this.entries.get(key)
    if (entry === undefined) return
    entry.state = 'active'
    try {
      const verdict = await processor(key)
      if (verdict !== undefined && !this.closed) {
        // A retry covers any trigger that arrived meanwhile: it has not run yet.
        entry.rerunDelayMs = undefined
        return this.delay(key, entry, verdict.retryInMs)
      }
    } catch (error) {
      entry.failures++
      if (entry.failures < this.options.attempts && !this.closed) {
        entry.rerunDelayMs = undefined
        return this.delay(key, entry, backoffDelay(this.options.backoffMs, entry.failures))
      }
      this.options.onDropped(key, error)
    }
    this.entries.delete(key)
    if (entry.rerunDelayMs !== undefined) this.enqueue(key, entry.rerunDelayMs)
  }
}
