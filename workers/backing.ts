// The daemon's backing stores: the job backend (embedded, or BullMQ on Redis) with the status records,
// suspensions and durable state that go with it. Embedded keeps them in memory and one state file.
import { join } from 'node:path'
import { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { BackendOptions, JobBackend } from '../src/queue/backend.js'
import { BullmqBackend } from '../src/queue/bullmq.js'
import { EmbeddedBackend } from '../src/queue/embedded.js'
import { fileHashStorage } from '../src/server/file-hash-storage.js'
import {
  type HashStorage,
  memoryHashStorage,
  memoryStatusStore,
  type StatusStore,
} from '../src/server/status.js'
import { redisHashStorage, redisStatusStore } from '../src/server/status-redis.js'
import { SuspensionStore } from '../src/server/suspension.js'
import type { DaemonOptions } from './daemon.js'
import { errorMessage } from './logger.js'

/** Daemon timings when neither the config nor a test sets them. */
export const DEFAULTS = {
  coalesceMs: 2000,
  rediscoverMs: 300_000,
  confirmScanMs: 1000,
  lockTtlMs: 30_000,
  lockRetryMs: 1000,
  hintTimeoutMs: 5000,
}

export interface Backing {
  backend: JobBackend
  status: StatusStore
  suspension: SuspensionStore
  /** What must survive a restart: suspensions and the notification outbox. */
  state: HashStorage
  closeStatus: () => void
  /** Whether the status records can be read now (their Redis connection is up); always for embedded. */
  statusConnected: () => boolean
}

export function createBacking(options: DaemonOptions, logger: Logger): Backing {
  const tuning = options.tuning ?? {}
  const backendOptions: BackendOptions = {
    coalesceMs: options.coalesceMs ?? DEFAULTS.coalesceMs,
    ...(tuning.attempts !== undefined && { attempts: tuning.attempts }),
    ...(tuning.backoffMs !== undefined && { backoffMs: tuning.backoffMs }),
    ...(tuning.concurrency !== undefined && { concurrency: tuning.concurrency }),
  }
  const onDropped = (kind: string, key: string, error: unknown) =>
    logger.error({ kind, key, error: errorMessage(error) }, 'job failed its last attempt; dropped')
  if (options.backend === 'embedded') {
    if ((options.role ?? 'all') !== 'all') {
      throw new Error(`role "${options.role}" needs Redis: set redis.url (or REDIS_URL), or use role "all"`)
    }
    const state = options.stateDir
      ? fileHashStorage(join(options.stateDir, 'daemon-state.json'))
      : memoryHashStorage()
    return {
      backend: new EmbeddedBackend(backendOptions, onDropped),
      status: memoryStatusStore(),
      suspension: new SuspensionStore(state),
      state,
      closeStatus() {},
      statusConnected: () => true,
    }
  }
  const { redisUrl, prefix = 'imagebot' } = options.backend
  const backend = new BullmqBackend({
    ...backendOptions,
    redisUrl,
    prefix,
    lockDurationMs: tuning.lockTtlMs ?? DEFAULTS.lockTtlMs,
    ...(tuning.stalledIntervalMs !== undefined && { stalledIntervalMs: tuning.stalledIntervalMs }),
    onDropped,
    onError: (error, source) => logger.warn({ source, error: error.message }, 'redis or queue error'),
    onLockLost: (name, reason) => logger.warn({ lock: name, reason }, 'lock lost'),
  })
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null })
  redis.on('error', (error: Error) => logger.debug({ source: 'status', error: error.message }, 'redis error'))
  return {
    backend,
    status: redisStatusStore(redis, prefix),
    suspension: new SuspensionStore(redisHashStorage(redis, prefix)),
    state: redisHashStorage(redis, prefix),
    closeStatus: () => redis.disconnect(),
    statusConnected: () => redis.status === 'ready',
  }
}
