// BullMQ backend: three queues (discover, scan, update) in one Redis that several processes share.
// Coalescing and "no lost trigger" come from BullMQ deduplication with keepLastIfActive: while a job of
// a key waits, adds are absorbed; while it runs, the last add is kept and enqueued when it finishes.
// Job schedulers only add a 'tick' job that enqueues the real, deduplicated job, so a scheduled scan
// and a webhook scan of one image never run side by side.
import { DelayedError, type Job, Queue, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import {
  type BackendOptions,
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  DEFAULT_CONCURRENCY,
  type JobBackend,
  type JobProcessors,
  type JobVerdict,
  type Lease,
  type ScanSchedule,
} from './backend.js'
import type { DroppedJobListener } from './embedded.js'
import { acquireRedisLock } from './redis-lock.js'
import { type DataLossWatch, watchDataLoss } from './redis-loss.js'

type Kind = 'discover' | 'scan' | 'update'
interface KeyData {
  key: string
}

export interface BullmqBackendOptions extends BackendOptions {
  redisUrl: string
  /** Prefix of every Redis key (queues and locks). */
  prefix?: string
  /** How long a worker's hold on a job lasts without renewal; a crashed worker's job re-runs after it. */
  lockDurationMs?: number
  /** How often workers look for jobs whose holder died. */
  stalledIntervalMs?: number
  onDropped?: DroppedJobListener
  /** Connection and worker errors; the backend keeps going (ioredis reconnects). */
  onError?: (error: Error, source: string) => void
  onLockLost?: (name: string, reason: string) => void
}

const DISCOVER_KEY = 'discover'
const KEEP = { count: 1000 }
const PING_TIMEOUT_MS = 1000

export class BullmqBackend implements JobBackend {
  readonly kind = 'bullmq'
  private readonly redis: Redis
  private readonly queues: Record<Kind, Queue<KeyData>>
  private readonly workers: { kind: Kind; worker: Worker<KeyData> }[] = []
  private readonly workerConnections: Redis[] = []
  private readonly prefix: string
  /** Jobs running in this process (`update <repo>`), and close steps not finished yet: for forceClose. */
  private readonly running = new Set<string>()
  private readonly closing = new Set<string>()
  private lossWatch: DataLossWatch | undefined

  constructor(private readonly options: BullmqBackendOptions) {
    this.prefix = options.prefix ?? 'imagebot'
    this.redis = this.connect('redis')
    const queue = (kind: Kind) => {
      const created = new Queue<KeyData>(kind, { connection: this.redis, prefix: this.prefix })
      created.on('error', (error) => this.reportError(error, `queue ${kind}`))
      return created
    }
    this.queues = { discover: queue('discover'), scan: queue('scan'), update: queue('update') }
  }

  async enqueueScan(image: string): Promise<void> {
    await this.enqueue('scan', image, 0)
  }

  async enqueueUpdate(configRepo: string): Promise<void> {
    await this.enqueue('update', configRepo, this.options.coalesceMs)
  }

  async requestDiscover(): Promise<void> {
    await this.enqueue('discover', DISCOVER_KEY, this.options.coalesceMs)
  }

  async upsertSchedule(image: string, everyMs: number): Promise<void> {
    await this.upsertTicker('scan', image, everyMs)
  }

  async removeSchedule(image: string): Promise<void> {
    await this.queues.scan.removeJobScheduler(image)
  }

  async listSchedules(): Promise<ScanSchedule[]> {
    const schedulers = await this.queues.scan.getJobSchedulers(0, -1, true)
    return schedulers.map((s) => ({ image: s.id ?? s.key, everyMs: Number(s.every) }))
  }

  async scheduleDiscover(everyMs: number): Promise<void> {
    await this.upsertTicker('discover', DISCOVER_KEY, everyMs)
    // An unchanged scheduler does not fire now, but a starting scheduler must discover at once.
    await this.enqueue('discover', DISCOVER_KEY, 0)
  }

  async acquireLock(name: string, ttlMs: number): Promise<Lease | undefined> {
    return await acquireRedisLock(this.redis, `${this.prefix}:lock:${name}`, ttlMs, this.options.onLockLost)
  }

  async process(processors: JobProcessors): Promise<void> {
    const { discover, scan, update } = processors
    const concurrency = { ...DEFAULT_CONCURRENCY, ...this.options.concurrency }
    if (discover) this.startWorker('discover', () => discover(), 1)
    if (scan) this.startWorker('scan', scan, concurrency.scan)
    if (update) this.startWorker('update', update, concurrency.update)
    await Promise.all(this.workers.map(({ worker }) => worker.waitUntilReady()))
  }

  async onDataLoss(listener: () => Promise<void> | void, checkEveryMs?: number): Promise<void> {
    this.lossWatch?.stop()
    this.lossWatch = await watchDataLoss(this.redis, this.prefix, {
      onLoss: listener,
      onError: (error) => this.reportError(error, 'data loss check'),
      ...(checkEveryMs !== undefined && { intervalMs: checkEveryMs }),
    })
  }

  async queueCounts(): Promise<{ waiting: number; active: number }> {
    const counts = await Promise.all(
      Object.values(this.queues).map((queue) => queue.getJobCounts('waiting', 'prioritized', 'active')),
    )
    return {
      waiting: counts.reduce((sum, c) => sum + (c.waiting ?? 0) + (c.prioritized ?? 0), 0),
      active: counts.reduce((sum, c) => sum + (c.active ?? 0), 0),
    }
  }

  async ready(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), PING_TIMEOUT_MS)
    })
    try {
      return (await Promise.race([this.redis.ping(), timeout])) === 'PONG'
    } catch {
      return false
    } finally {
      clearTimeout(timer)
    }
  }

  /**
   * Waits for running jobs (Worker.close), then closes queues and connections. After a Redis outage this
   * may never end (BullMQ 6.7 Worker.close() awaits a reconnecting client forever, taskforcesh/bullmq#4656,
   * unfixed in any release): the daemon bounds it and calls forceClose().
   */
  async close(): Promise<void> {
    this.lossWatch?.stop()
    await Promise.all(
      this.workers.map(({ kind, worker }) => this.closeStep(`worker ${kind}`, worker.close())),
    )
    await Promise.all(
      Object.entries(this.queues).map(([kind, queue]) => this.closeStep(`queue ${kind}`, queue.close())),
    )
    this.disconnectAll()
  }

  forceClose(): string[] {
    const unfinished = [...this.closing, ...[...this.running].map((job) => `job ${job}`)]
    this.lossWatch?.stop()
    this.disconnectAll()
    return unfinished
  }

  private async closeStep(name: string, work: Promise<void>): Promise<void> {
    this.closing.add(name)
    await work
    this.closing.delete(name)
  }

  private disconnectAll(): void {
    for (const connection of [...this.workerConnections, this.redis]) connection.disconnect()
  }

  private async enqueue(kind: Kind, key: string, delayMs: number): Promise<void> {
    await this.queues[kind].add(
      kind,
      { key },
      {
        delay: delayMs,
        deduplication: { id: key, keepLastIfActive: true },
        attempts: this.options.attempts ?? DEFAULT_ATTEMPTS,
        backoff: { type: 'exponential', delay: this.options.backoffMs ?? DEFAULT_BACKOFF_MS },
        removeOnComplete: KEEP,
        removeOnFail: KEEP,
      },
    )
  }

  /** A job scheduler whose 'tick' jobs enqueue the keyed job; unchanged schedulers are left alone. */
  private async upsertTicker(kind: Kind, key: string, everyMs: number): Promise<void> {
    const existing = await this.queues[kind].getJobScheduler(key)
    if (existing !== undefined && Number(existing.every) === everyMs) return
    await this.queues[kind].upsertJobScheduler(
      key,
      { every: everyMs },
      { name: 'tick', data: { key }, opts: { removeOnComplete: true, removeOnFail: KEEP } },
    )
  }

  private startWorker(
    kind: Kind,
    processor: (key: string) => Promise<JobVerdict>,
    concurrency: number,
  ): void {
    const connection = this.connect(`worker ${kind}`)
    this.workerConnections.push(connection)
    const worker = new Worker<KeyData>(
      kind,
      async (job, token) => {
        if (job.name === 'tick') return await this.enqueue(kind, job.data.key, 0)
        const running = `${kind} ${job.data.key}`
        this.running.add(running)
        const verdict = await processor(job.data.key).finally(() => this.running.delete(running))
        if (verdict === undefined) return
        await job.moveToDelayed(Date.now() + verdict.retryInMs, token)
        throw new DelayedError()
      },
      {
        connection,
        prefix: this.prefix,
        concurrency,
        lockDuration: this.options.lockDurationMs ?? 30_000,
        stalledInterval: this.options.stalledIntervalMs ?? 30_000,
        maxStalledCount: 2,
      },
    )
    worker.on('error', (error) => this.reportError(error, `worker ${kind}`))
    worker.on('failed', (job, error) => this.reportFailed(kind, job, error))
    this.workers.push({ kind, worker })
  }

  private reportFailed(kind: Kind, job: Job<KeyData> | undefined, error: Error): void {
    if (job === undefined || job.name === 'tick') return
    if (job.attemptsMade >= (job.opts.attempts ?? 1)) this.options.onDropped?.(kind, job.data.key, error)
  }

  private connect(source: string): Redis {
    const connection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null })
    connection.on('error', (error: Error) => this.reportError(error, source))
    return connection
  }

  private reportError(error: Error, source: string): void {
    this.options.onError?.(error, source)
  }
}
