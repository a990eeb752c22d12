// Politeness per registry: a bound on requests in flight, an optional token bucket (rps, burst),
// and a shared pause that a 429's Retry-After imposes on every request to that registry.
import { setTimeout as sleep } from 'node:timers/promises'

export interface LimiterOptions {
  maxConcurrency: number
  rateLimit?: { rps: number; burst: number }
  now?: () => number
}

export class RegistryLimiter {
  private active = 0
  private readonly waiting: (() => void)[] = []
  private tokens: number
  private lastRefill: number
  private bucketChain: Promise<void> = Promise.resolve()
  private pausedUntil = 0
  private readonly now: () => number

  constructor(private readonly opts: LimiterOptions) {
    this.now = opts.now ?? Date.now
    this.tokens = opts.rateLimit?.burst ?? 0
    this.lastRefill = this.now()
  }

  /** Waits for a slot, a token and the end of any pause; the caller must call the returned release. */
  async acquire(): Promise<() => void> {
    await this.takeSlot()
    try {
      await this.waitForPause()
      await this.takeToken()
    } catch (error) {
      this.releaseSlot()
      throw error
    }
    let released = false
    return () => {
      if (!released) {
        released = true
        this.releaseSlot()
      }
    }
  }

  /** Holds back every request to this registry for `ms` (a 429 applies to the client, not one URL). */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms)
  }

  private async takeSlot(): Promise<void> {
    if (this.active < this.opts.maxConcurrency) {
      this.active++
      return
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve))
  }

  private releaseSlot(): void {
    const next = this.waiting.shift()
    // The slot passes straight to the next waiter, so `active` stays the same.
    if (next) next()
    else this.active--
  }

  private async waitForPause(): Promise<void> {
    for (let wait = this.pausedUntil - this.now(); wait > 0; wait = this.pausedUntil - this.now()) {
      await sleep(wait)
    }
  }

  private takeToken(): Promise<void> {
    const limit = this.opts.rateLimit
    if (!limit) return Promise.resolve()
    // Chained so that waiters take tokens one after another instead of racing for the same one.
    const turn = this.bucketChain.then(async () => {
      this.refill(limit)
      if (this.tokens < 1) {
        await sleep(Math.ceil(((1 - this.tokens) / limit.rps) * 1000))
        this.refill(limit)
      }
      this.tokens = Math.max(0, this.tokens - 1)
    })
    this.bucketChain = turn
    return turn
  }

  private refill(limit: { rps: number; burst: number }): void {
    const now = this.now()
    this.tokens = Math.min(limit.burst, this.tokens + ((now - this.lastRefill) / 1000) * limit.rps)
    this.lastRefill = now
  }
}
