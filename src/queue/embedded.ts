// The embedded default backend: every job runs in this process on timers, no Redis. Same semantics as
// the BullMQ backend (see backend.ts); state is lost on exit, and rebuilt by the first discovery.
import {
  type BackendOptions,
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  DEFAULT_CONCURRENCY,
  type JobBackend,
  type JobProcessors,
  type Lease,
  type ScanSchedule,
} from './backend.js'
import { KeyedRunner } from './keyed-runner.js'

export type DroppedJobListener = (kind: 'discover' | 'scan' | 'update', key: string, error: unknown) => void

const DISCOVER_KEY = 'discover'

interface Schedule {
  everyMs: number
  timer: NodeJS.Timeout
}

export class EmbeddedBackend implements JobBackend {
  readonly kind = 'embedded'
  private readonly discoverRunner: KeyedRunner
  private readonly scanRunner: KeyedRunner
  private readonly updateRunner: KeyedRunner
  private readonly schedules = new Map<string, Schedule>()
  private discoverSchedule: NodeJS.Timeout | undefined
  private readonly locks = new Set<string>()
  private closed = false

  constructor(
    private readonly options: BackendOptions,
    onDropped: DroppedJobListener = () => {},
  ) {
    const runner = (kind: 'discover' | 'scan' | 'update', concurrency: number) =>
      new KeyedRunner({
        concurrency,
        attempts: options.attempts ?? DEFAULT_ATTEMPTS,
        backoffMs: options.backoffMs ?? DEFAULT_BACKOFF_MS,
        onDropped: (key, error) => onDropped(kind, key, error),
      })
    this.discoverRunner = runner('discover', 1)
    this.scanRunner = runner('scan', options.concurrency?.scan ?? DEFAULT_CONCURRENCY.scan)
    this.updateRunner = runner('update', options.concurrency?.update ?? DEFAULT_CONCURRENCY.update)
  }

  async enqueueScan(image: string): Promise<void> {
    this.scanRunner.enqueue(image, 0)
  }

  async enqueueUpdate(configRepo: string): Promise<void> {
    this.updateRunner.enqueue(configRepo, this.options.coalesceMs)
  }

  async requestDiscover(): Promise<void> {
    this.discoverRunner.enqueue(DISCOVER_KEY, this.options.coalesceMs)
  }

  async upsertSchedule(image: string, everyMs: number): Promise<void> {
    if (this.closed || this.schedules.get(image)?.everyMs === everyMs) return
    await this.removeSchedule(image)
    const timer = setInterval(() => this.scanRunner.enqueue(image, 0), everyMs)
    this.schedules.set(image, { everyMs, timer })
    this.scanRunner.enqueue(image, 0)
  }

  async removeSchedule(image: string): Promise<void> {
    clearInterval(this.schedules.get(image)?.timer)
    this.schedules.delete(image)
  }

  async listSchedules(): Promise<ScanSchedule[]> {
    return [...this.schedules].map(([image, { everyMs }]) => ({ image, everyMs }))
  }

  async scheduleDiscover(everyMs: number): Promise<void> {
    if (this.closed) return
    clearInterval(this.discoverSchedule)
    this.discoverSchedule = setInterval(() => this.discoverRunner.enqueue(DISCOVER_KEY, 0), everyMs)
    this.discoverRunner.enqueue(DISCOVER_KEY, 0)
  }

  /** One process: a lock is a name in a set; the TTL does not apply, release() frees it. */
  async acquireLock(name: string, _ttlMs: number): Promise<Lease | undefined> {
    if (this.locks.has(name)) return undefined
    this.locks.add(name)
    return {
      lost: false,
      release: async () => {
        this.locks.delete(name)
      },
    }
  }

  async process(processors: JobProcessors): Promise<void> {
    const { discover, scan, update } = processors
    if (discover) this.discoverRunner.setProcessor(() => discover())
    if (scan) this.scanRunner.setProcessor(scan)
    if (update) this.updateRunner.setProcessor(update)
  }

  async queueCounts(): Promise<{ waiting: number; active: number }> {
    const runners = [this.discoverRunner, this.scanRunner, this.updateRunner].map((runner) => runner.counts())
    return {
      waiting: runners.reduce((sum, counts) => sum + counts.waiting, 0),
      active: runners.reduce((sum, counts) => sum + counts.active, 0),
    }
  }

  async ready(): Promise<boolean> {
    return !this.closed
  }

  async close(): Promise<void> {
    this.closed = true
    clearInterval(this.discoverSchedule)
    for (const image of [...this.schedules.keys()]) await this.removeSchedule(image)
    await Promise.all([this.discoverRunner.close(), this.scanRunner.close(), this.updateRunner.close()])
    this.locks.clear()
  }
}
