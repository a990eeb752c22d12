// Loose git objects (`.git/objects/ab/cdef…`, zlib of "<type> <size>\0<content>") written and read with node:zlib
// and node:crypto, for the blobs and trees of the bot's commits and for packing them to push. Hand-written for a
// measured reason: isomorphic-git deflates and inflates each object through a web CompressionStream, 1.4-4 ms an
// object, so a one-file commit three directories deep (a blob and three trees) cost 19-33 ms on an idle machine;
// zlib does each in well under a millisecond. The commit object itself still goes through isomorphic-git, which
// also signs. Writes go through syncFs, so isomorphic-git's cached directory listings see the new files.
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { deflateSync, inflateSync } from 'node:zlib'
import { syncFs } from './sync-fs.js'

export type LooseType = 'blob' | 'tree' | 'commit' | 'tag'

export interface TreeLine {
  /** Six digits as raw-tree.ts reads them (`040000` for a tree); written as git does (`40000`). */
  mode: string
  path: string
  oid: string
  type: 'blob' | 'tree' | 'commit'
}

/** The object id of `content` as a `type` object. */
export function objectId(type: LooseType, content: Uint8Array): string {
  return createHash('sha1').update(header(type, content)).update(content).digest('hex')
}

/** Writes `content` as a loose object of the clone at `dir` (unless it is there already) and returns its id. */
export async function writeLooseObject(dir: string, type: LooseType, content: Uint8Array): Promise<string> {
  const oid = objectId(type, content)
  const path = objectPath(dir, oid)
  if (await exists(path)) return oid
  await syncFs.promises.mkdir(join(path, '..'), { recursive: true })
  // Through a temporary name: a reader (another process sharing the state dir) never sees half an object.
  const partial = `${path}.${process.pid}.partial`
  await syncFs.promises.writeFile(partial, deflateSync(Buffer.concat([header(type, content), content])))
  await syncFs.promises.rename(partial, path)
  return oid
}

/** A loose object's type and content, or undefined when it is not a loose object here (packed, or absent). */
export async function readLooseObject(
  dir: string,
  oid: string,
): Promise<{ type: LooseType; content: Buffer } | undefined> {
  let stored: Buffer
  try {
    stored = (await syncFs.promises.readFile(objectPath(dir, oid))) as Buffer
  } catch {
    return undefined
  }
  const raw = inflateSync(stored)
  const nul = raw.indexOf(0)
  const [type, size] = raw.toString('latin1', 0, nul).split(' ')
  const content = raw.subarray(nul + 1)
  if (Number(size) !== content.length || objectId(type as LooseType, content) !== oid)
    throw new Error(`loose object ${oid} is damaged`)
  return { type: type as LooseType, content }
}

/**
 * A tree object's bytes: entries in git's order (names compared as bytes, a tree's name as if it ended in `/`),
 * each `<mode> <name>\0<20-byte id>`.
 */
export function treeContent(entries: TreeLine[]): Buffer {
  const keyed = entries.map((entry) => ({
    entry,
    key: Buffer.from(entry.type === 'tree' ? `${entry.path}/` : entry.path, 'utf8'),
  }))
  keyed.sort((a, b) => Buffer.compare(a.key, b.key))
  return Buffer.concat(
    keyed.flatMap(({ entry }) => [
      Buffer.from(`${entry.mode === '040000' ? '40000' : entry.mode} ${entry.path}\0`, 'utf8'),
      Buffer.from(entry.oid, 'hex'),
    ]),
  )
}

function header(type: LooseType, content: Uint8Array): Buffer {
  return Buffer.from(`${type} ${content.length}\0`, 'latin1')
}

function objectPath(dir: string, oid: string): string {
  return join(dir, '.git', 'objects', oid.slice(0, 2), oid.slice(2))
}

async function exists(path: string): Promise<boolean> {
  try {
    await syncFs.promises.stat(path)
    return true
  } catch {
    return false
  }
}
