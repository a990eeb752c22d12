// HashStorage in one JSON file, for what must survive a restart of the embedded daemon (suspensions,
// undelivered notifications) without Redis. Every write replaces the file through a rename, so a crash
// leaves the old or the new contents, never half of one.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { HashStorage } from './status.js'

export function fileHashStorage(path: string): HashStorage {
  const hashes = load(path)
  const hash = (name: string) => hashes.get(name) ?? hashes.set(name, new Map()).get(name)!
  const save = () => {
    mkdirSync(dirname(path), { recursive: true })
    const data = Object.fromEntries([...hashes].map(([name, fields]) => [name, Object.fromEntries(fields)]))
    writeFileSync(`${path}.tmp`, `${JSON.stringify(data, null, 1)}\n`)
    renameSync(`${path}.tmp`, path)
  }
  return {
    get: async (name, field) => hash(name).get(field),
    set: async (name, field, value) => {
      hash(name).set(field, value)
      save()
    },
    replace: async (name, fields) => {
      hashes.set(name, new Map(fields))
      save()
    },
    getAll: async (name) => new Map(hash(name)),
    delete: async (name, field) => {
      if (hash(name).delete(field)) save()
    },
  }
}

/** A missing file is an empty store; a file that does not parse is an error naming it, never overwritten. */
function load(path: string): Map<string, Map<string, string>> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map()
    throw error
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw new Error(
      `${path} is not valid JSON; fix or remove it (it holds suspensions and pending notifications)`,
    )
  }
  const hashes = new Map<string, Map<string, string>>()
  for (const [name, fields] of Object.entries(data as Record<string, Record<string, string>>)) {
    hashes.set(name, new Map(Object.entries(fields).filter(([, value]) => typeof value === 'string')))
  }
  return hashes
}
