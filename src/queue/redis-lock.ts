// A Redis lock with a random token and a TTL, renewed while held. Only the holder's token can renew or
// release it, so a holder that lost the lock (TTL passed while it was stuck) never frees someone else's.
import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { Lease } from './backend.js'

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`

export type LockLostListener = (name: string, reason: string) => void

export async function acquireRedisLock(
  redis: Redis,
  key: string,
  ttlMs: number,
  onLost: LockLostListener = () => {},
): Promise<Lease | undefined> {
  const token = randomUUID()
  const taken = await redis.set(key, token, 'PX', ttlMs, 'NX')
  if (taken !== 'OK') return undefined

  let lost = false
  let renewing = false
  const markLost = (reason: string) => {
    if (lost) return
    lost = true
    onLost(key, reason)
  }
  // Renew at a third of the TTL so two missed renewals still leave the lock held.
  const timer = setInterval(
    async () => {
      if (renewing || lost) return
      renewing = true
      try {
        const renewed = await redis.eval(RENEW, 1, key, token, String(ttlMs))
        if (renewed !== 1) markLost('expired or taken over')
      } catch {
        // Redis unreachable: the lock may still be ours once it is back; the next tick tries again.
      } finally {
        renewing = false
      }
    },
    Math.max(10, Math.floor(ttlMs / 3)),
  )
  timer.unref()

  return {
    get lost() {
      return lost
    },
    release: async () => {
      clearInterval(timer)
      await redis.eval(RELEASE, 1, key, token)
    },
  }
}
