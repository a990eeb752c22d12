import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sleep } from '../../test/support/daemon-helpers.js'
import { startRedis, type TestRedis } from '../../test/support/redis.js'
import { acquireRedisLock } from './redis-lock.js'

let server: TestRedis
let clients: Redis[] = []
const client = () => {
  const created = new Redis(server.url)
  clients.push(created)
  return created
}

beforeAll(async () => {
  server = await startRedis()
})
afterAll(async () => {
  for (const c of clients) c.disconnect()
  clients = []
  await server?.stop()
})

describe('acquireRedisLock', () => {
  it('keeps the lock past its TTL while the holder renews it, and frees it on release', async () => {
    const holder = await acquireRedisLock(client(), 'lock:renew', 300)
    expect(holder).toBeDefined()
    await sleep(700)
    expect(await acquireRedisLock(client(), 'lock:renew', 300)).toBeUndefined()
    expect(holder!.lost).toBe(false)
    await holder!.release()
    const next = await acquireRedisLock(client(), 'lock:renew', 300)
    expect(next).toBeDefined()
    await next!.release()
  })

  it('expires when its holder dies', async () => {
    const doomed = client()
    expect(await acquireRedisLock(doomed, 'lock:dead', 300)).toBeDefined()
    doomed.disconnect()
    expect(await acquireRedisLock(client(), 'lock:dead', 300)).toBeUndefined()
    await sleep(450)
    expect(await acquireRedisLock(client(), 'lock:dead', 300)).toBeDefined()
  })

  it('tells a holder that lost its lock, and its release leaves the new holder alone', async () => {
    const raw = client()
    const lostNames: string[] = []
    const first = await acquireRedisLock(client(), 'lock:lost', 300, (name) => lostNames.push(name))
    await raw.del('lock:lost')
    const second = await acquireRedisLock(client(), 'lock:lost', 5000)
    expect(second).toBeDefined()
    await sleep(250)
    expect(first!.lost).toBe(true)
    expect(lostNames).toEqual(['lock:lost'])
    await first!.release()
    expect(await acquireRedisLock(client(), 'lock:lost', 300)).toBeUndefined()
    await second!.release()
  })
})
