// Sends notifications without ever holding up an update: an update run only writes its events to an
// outbox (Redis, or the state directory when embedded) and returns; delivery happens beside it, with bounded
// retries and backoff, then one log line if it still failed. Each outbox entry is delivered under a lock
// and deleted after a 2xx, so across processes and restarts an event is sent once (a crash between the
// receiver's 2xx and the delete sends it again: receivers can dedupe on X-Imagebot-Event).
import type { Logger } from 'pino'
import type { Lease } from '../queue/backend.js'
import type { UpdateOutcome } from '../queue/contract.js'
import type { HashStorage } from '../server/status.js'
import { eventsOfUpdate, type NotifyEvent, type RepoHealth } from './event.js'
import { PROVIDERS } from './providers/index.js'
import { eventFor, loggableUrl, type NotifyTarget, targetKey } from './target.js'

const OUTBOX = 'notify-outbox'
const HEALTH = 'notify-health'

export interface NotifyRetry {
  /** Tries per notification, the first included. */
  attempts: number
  /** Delay before the first retry; doubles each time. */
  baseMs: number
  /** Per request. */
  timeoutMs: number
}

export const DEFAULT_NOTIFY_RETRY: NotifyRetry = { attempts: 5, baseMs: 2000, timeoutMs: 10_000 }
/** Entries left by a process that died are picked up by the next sweep of any process. */
const SWEEP_EVERY_MS = 30_000

export interface NotifierOptions {
  targets: NotifyTarget[]
  storage: HashStorage
  lock: (name: string, ttlMs: number) => Promise<Lease | undefined>
  logger: Logger
  retry?: NotifyRetry
}

interface OutboxEntry {
  target: string
  event: NotifyEvent
  attempts: number
  dueAt: number
}

export class Notifier {
  private readonly retry: NotifyRetry
  private readonly byKey: Map<string, NotifyTarget>
  private readonly abort = new AbortController()
  private timer: NodeJS.Timeout | undefined
  private sweeping: Promise<void> | undefined
  private sweepAgain = false
  private closed = false

  constructor(private readonly options: NotifierOptions) {
    this.retry = options.retry ?? DEFAULT_NOTIFY_RETRY
    this.byKey = new Map(options.targets.map((target) => [targetKey(target), target]))
  }

  /** Delivers what earlier runs (or a previous process) left in the outbox, and keeps sweeping. */
  start(): void {
    this.kick()
  }

  /** Turns an update run into events for each interested target; resolves once they are in the outbox. */
  async recordUpdate(configRepo: string, outcome: UpdateOutcome, at = new Date()): Promise<void> {
    const { storage } = this.options
    const before = (await storage.get(HEALTH, configRepo)) as RepoHealth | undefined
    const { events, health } = eventsOfUpdate(configRepo, outcome, before, at)
    for (const event of events) {
      for (const [key, target] of this.byKey) {
        const wanted = eventFor(target, event)
        if (!wanted) continue
        const entry: OutboxEntry = { target: key, event: wanted, attempts: 0, dueAt: at.getTime() }
        await storage.set(OUTBOX, `${event.id}/${key}`, JSON.stringify(entry))
      }
    }
    // After the outbox: a crash in between re-reports the state change rather than losing it.
    if (health !== before) await storage.set(HEALTH, configRepo, health)
    if (events.length > 0) this.kick()
  }

  /** Stops sending; what is still in the outbox is sent by the next start. */
  async close(): Promise<void> {
    this.closed = true
    clearTimeout(this.timer)
    this.abort.abort()
    await this.sweeping
  }

  private kick(): void {
    if (this.closed) return
    if (this.sweeping) {
      this.sweepAgain = true
      return
    }
    clearTimeout(this.timer)
    this.sweeping = this.sweep()
      .catch((error: unknown) =>
        this.options.logger.warn(
          { error: String(error) },
          'notification outbox not readable; retrying later',
        ),
      )
      .then((nextDue) => {
        this.sweeping = undefined
        if (this.sweepAgain) {
          this.sweepAgain = false
          this.kick()
        } else if (!this.closed) {
          const wait = Math.min(SWEEP_EVERY_MS, Math.max(0, (nextDue ?? Infinity) - Date.now()))
          this.timer = setTimeout(() => this.kick(), wait)
          this.timer.unref()
        }
      })
  }

  /** Sends every entry that is due, side by side; returns when the next one is due. */
  private async sweep(): Promise<number | undefined> {
    const entries = await this.options.storage.getAll(OUTBOX)
    const now = Date.now()
    let nextDue: number | undefined
    const due: string[] = []
    for (const [field, json] of entries) {
      const { dueAt } = JSON.parse(json) as OutboxEntry
      if (dueAt <= now) due.push(field)
      else nextDue = Math.min(nextDue ?? dueAt, dueAt)
    }
    const results = await Promise.all(due.map((field) => this.attempt(field)))
    for (const dueAt of results) if (dueAt !== undefined) nextDue = Math.min(nextDue ?? dueAt, dueAt)
    return nextDue
  }

  /** One try of one entry under its lock; returns when it is due again if it stays in the outbox. */
  private async attempt(field: string): Promise<number | undefined> {
    const { storage, logger } = this.options
    const lease = await this.options.lock(`notify:${field}`, this.retry.timeoutMs * 3)
    if (!lease) return undefined // another process is sending it
    try {
      const json = await storage.get(OUTBOX, field)
      if (json === undefined) return undefined // sent by someone else meanwhile
      const entry = JSON.parse(json) as OutboxEntry
      const target = this.byKey.get(entry.target)
      const context = { notify: target?.type, event: entry.event.event, id: entry.event.id }
      if (!target) {
        logger.warn(context, 'notification dropped: its notify entry is no longer configured')
        await storage.delete(OUTBOX, field)
        return undefined
      }
      try {
        await this.send(target, entry.event)
        await storage.delete(OUTBOX, field)
        logger.debug({ ...context, url: loggableUrl(target.url) }, 'notification sent')
        return undefined
      } catch (error) {
        if (this.closed) return undefined // interrupted by shutdown: not a failed try
        entry.attempts++
        const cause = (error as { cause?: { code?: string } }).cause?.code
        const reason = `${error instanceof Error ? error.message : String(error)}${cause ? ` (${cause})` : ''}`
        if (entry.attempts >= this.retry.attempts) {
          logger.warn(
            { ...context, url: loggableUrl(target.url), attempts: entry.attempts, error: reason },
            'notification not delivered; dropped after retries',
          )
          await storage.delete(OUTBOX, field)
          return undefined
        }
        entry.dueAt = Date.now() + this.retry.baseMs * 2 ** (entry.attempts - 1)
        await storage.set(OUTBOX, field, JSON.stringify(entry))
        return entry.dueAt
      }
    } finally {
      await lease.release().catch(() => undefined)
    }
  }

  private async send(target: NotifyTarget, event: NotifyEvent): Promise<void> {
    const request = PROVIDERS[target.type](event, target.secret)
    const response = await fetch(target.url, {
      method: 'POST',
      headers: { ...request.headers, 'user-agent': 'imagebot', 'x-imagebot-event': event.id },
      body: request.body,
      redirect: 'error',
      signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.retry.timeoutMs)]),
    })
    await response.arrayBuffer().catch(() => undefined)
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
  }
}
