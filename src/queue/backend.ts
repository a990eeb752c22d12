// The one interface the daemon's workers are written against. Two implementations: BullMQ on Redis
// (src/queue/bullmq.ts, several processes share one Redis) and the embedded in-process default
// (src/queue/embedded.ts). Both give every job kind the same semantics:
// - jobs are keyed (image repository, config repository, 'discover'): while a job for a key waits,
//   another enqueue of that key is absorbed into it (coalescing);
// - an enqueue while that key's job runs is remembered, and exactly one more job runs after it (no lost
//   trigger, no overlap of one key within a backend);
// - a processor may answer { retryInMs } to run the same job again later (e.g. its repository lock is busy);
// - a thrown error retries with backoff up to `attempts`, then the job is dropped (logged by the caller).

/** One scheduled image scan: the canonical image repository key and its poll interval. */
export interface ScanSchedule {
  image: string
  everyMs: number
}

/** Returned by a processor that could not run now; the same job runs again after the delay. */
export interface RetryLater {
  retryInMs: number
}

export type JobVerdict = undefined | RetryLater

export interface JobProcessors {
  discover?: () => Promise<JobVerdict>
  scan?: (image: string) => Promise<JobVerdict>
  update?: (configRepo: string) => Promise<JobVerdict>
}

/** A held lock; the holder renews it until release(). `lost` turns true if renewal failed. */
export interface Lease {
  readonly lost: boolean
  release(): Promise<void>
}

export interface JobBackend {
  readonly kind: 'embedded' | 'bullmq'
  /** Scan one image repository soon (no delay); coalesced per image. */
  enqueueScan(image: string): Promise<void>
  /** Update one config repository after the coalescing window; coalesced per repository, never lost. */
  enqueueUpdate(configRepo: string): Promise<void>
  /** Run discovery soon (after the coalescing window). */
  requestDiscover(): Promise<void>
  /** Creates or changes the periodic scan of an image; the first scan runs at once. */
  upsertSchedule(image: string, everyMs: number): Promise<void>
  removeSchedule(image: string): Promise<void>
  listSchedules(): Promise<ScanSchedule[]>
  /** Runs discovery every `everyMs` (and once at once). */
  scheduleDiscover(everyMs: number): Promise<void>
  /** Mutual exclusion across every process sharing the backend; undefined when someone else holds it. */
  acquireLock(name: string, ttlMs: number): Promise<Lease | undefined>
  /** Starts consuming the job kinds whose processors are given (a role picks which). */
  process(processors: JobProcessors): Promise<void>
  /** Jobs ready to run (not delayed or scheduled ones) and running, over every job kind, for the page. */
  queueCounts(): Promise<{ waiting: number; active: number }>
  /** True when the backend can take work (Redis answers a ping / the embedded runner is started). */
  ready(): Promise<boolean>
  /** Stops taking jobs, waits for running ones to finish, closes connections. */
  close(): Promise<void>
  /**
   * Ends a close() that did not finish (shutdown's grace period is over): drops every connection at once
   * and says what was still running or closing. Absent where close() cannot hang (embedded).
   */
  forceClose?(): string[]
  /**
   * Calls `listener` when the shared store lost its data (Redis restarted without persistence), found after
   * a reconnect or by a periodic check. Absent where nothing outlives the process (embedded).
   */
  onDataLoss?(listener: () => Promise<void> | void, checkEveryMs?: number): Promise<void>
}

/** Tuning shared by both backends; defaults suit production, tests shorten them. */
export interface BackendOptions {
  /** Delay between an update trigger and the run, so bursts become one run. 0 allowed. */
  coalesceMs: number
  /** Parallel jobs per kind in this process. */
  concurrency?: { scan?: number; update?: number }
  /** Tries of a job whose processor throws (first run included). */
  attempts?: number
  /** Delay before the first retry of a failed job; doubles each time. */
  backoffMs?: number
}

export const DEFAULT_ATTEMPTS = 3
export const DEFAULT_BACKOFF_MS = 5_000
export const DEFAULT_CONCURRENCY = { scan: 4, update: 2 } as const

/** Backoff before retry number `attempt` (1 = first retry). */
export function backoffDelay(baseMs: number, attempt: number): number {
  return baseMs * 2 ** Math.max(0, attempt - 1)
}
