import { describe, expect, it } from 'vitest'
import { RegistryLimiter } from './limiter.js'

describe('RegistryLimiter', () => {
  it('bounds requests in flight and hands slots to waiters in order', async () => {
    const limiter = new RegistryLimiter({ maxConcurrency: 2 })
    const order: number[] = []
    const first = await limiter.acquire()
    const second = await limiter.acquire()
    const third = limiter.acquire().then((release) => {
      order.push(3)
      return release
    })
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(order).toEqual([])
    first()
    first() // a second release of the same slot is ignored
    ;(await third)()
    second()
    expect(order).toEqual([3])
    const again = await Promise.all([limiter.acquire(), limiter.acquire()])
    for (const release of again) release()
  })

  it('lets a burst through at once, then spaces requests at rps', async () => {
    const limiter = new RegistryLimiter({ maxConcurrency: 10, rateLimit: { rps: 50, burst: 3 } })
    const started = Date.now()
    for (let i = 0; i < 3; i++) (await limiter.acquire())()
    expect(Date.now() - started).toBeLessThan(15)
    for (let i = 0; i < 5; i++) (await limiter.acquire())()
    // 5 more at 50 per second take about 100 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(90)
  })

  it('holds every request back during a pause', async () => {
    const limiter = new RegistryLimiter({ maxConcurrency: 4 })
    limiter.pauseFor(60)
    const started = Date.now()
    const releases = await Promise.all([limiter.acquire(), limiter.acquire()])
    expect(Date.now() - started).toBeGreaterThanOrEqual(55)
    for (const release of releases) release()
  })
})
