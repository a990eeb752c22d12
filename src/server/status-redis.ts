// StatusStore records in Redis hashes (`<prefix>:status:<hash>`), shared by every daemon process.
import type { Redis } from 'ioredis'
import { type HashStorage, StatusStore } from './status.js'

export function redisHashStorage(redis: Redis, prefix: string): HashStorage {
  const key = (hash: string) => `${prefix}:status:${hash}`
  return {
    get: async (hash, field) => (await redis.hget(key(hash), field)) ?? undefined,
    set: async (hash, field, value) => {
      await redis.hset(key(hash), field, value)
    },
    replace: async (hash, fields) => {
      const transaction = redis.multi().del(key(hash))
      if (fields.size > 0) transaction.hset(key(hash), Object.fromEntries(fields))
      await transaction.exec()
    },
    getAll: async (hash) => new Map(Object.entries(await redis.hgetall(key(hash)))),
    delete: async (hash, field) => {
      await redis.hdel(key(hash), field)
    },
  }
}

export function redisStatusStore(redis: Redis, prefix: string): StatusStore {
  return new StatusStore(redisHashStorage(redis, prefix))
}
