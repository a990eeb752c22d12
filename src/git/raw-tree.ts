// Tree objects read from their raw bytes. isomorphic-git's readTree refuses a whole tree when one entry has
// a name it considers unsafe to check out (a backslash, `.git` look-alikes such as `.GIT`, `git~1`, `.git `):
// legal in git on Linux, and one such file committed by anyone would stop every run of the repository.
// imagebot never checks files out, so it reads such trees itself (the format is `<mode> <name>\0<20-byte
// oid>` repeated), keeps every entry, and tells which names it must not read or write.
import git from 'isomorphic-git'
import { readLooseObject } from './loose-objects.js'
import type { ObjectCache } from './remote.js'
import { syncFs as fs } from './sync-fs.js'

export interface RawTreeEntry {
  /** Six digits, as isomorphic-git writes them: `100644`, `100755`, `120000`, `040000`, `160000`. */
  mode: string
  path: string
  oid: string
  type: 'blob' | 'tree' | 'commit'
  /** False for a name a checkout (and isomorphic-git) refuses; such an entry is carried over untouched. */
  safe: boolean
}

/**
 * Trees read or written lately, by id (an id names its content, so an entry never goes stale): consecutive
 * updates of a repository read the same few trees, the ones the last commit wrote. Reading one through
 * isomorphic-git costs an inflate through a web DecompressionStream, about 1 ms idle and more with a core busy.
 * Callers never change the arrays they get.
 */
const knownTrees = new Map<string, RawTreeEntry[]>()
const KNOWN_TREES_MAX = 4096

export async function readTreeEntries(dir: string, cache: ObjectCache, oid: string): Promise<RawTreeEntry[]> {
  const known = knownTrees.get(oid)
  if (known) return known
  const loose = await readLooseObject(dir, oid)
  const { object, type } = loose
    ? { object: loose.content, type: loose.type }
    : await git.readObject({ fs, dir, oid, cache, format: 'content' })
  if (type !== 'tree') throw new Error(`object ${oid} is a ${type}, expected a tree`)
  const entries = parseTree(Buffer.from(object as Uint8Array))
  rememberTree(oid, entries)
  return entries
}

/** A tree this process has just written, so reading it back costs nothing. */
export function rememberTree(oid: string, entries: RawTreeEntry[]): void {
  if (knownTrees.size >= KNOWN_TREES_MAX) knownTrees.clear()
  knownTrees.set(oid, entries)
}

export function parseTree(bytes: Buffer): RawTreeEntry[] {
  const entries: RawTreeEntry[] = []
  let at = 0
  while (at < bytes.length) {
    const space = bytes.indexOf(0x20, at)
    const nul = bytes.indexOf(0, space + 1)
    if (space < 0 || nul < 0 || nul + 21 > bytes.length) throw new Error('malformed tree object')
    const mode = bytes.toString('latin1', at, space).padStart(6, '0')
    const path = bytes.toString('utf8', space + 1, nul)
    const oid = bytes.toString('hex', nul + 1, nul + 21)
    entries.push({ mode, path, oid, type: typeOfMode(mode), safe: isSafeName(path) })
    at = nul + 21
  }
  return entries
}

function typeOfMode(mode: string): RawTreeEntry['type'] {
  if (mode.startsWith('04')) return 'tree'
  if (mode.startsWith('16')) return 'commit'
  return 'blob'
}

/**
 * The names git itself protects against on checkout (and isomorphic-git refuses): path separators, `.`,
 * `..`, and anything that a case-insensitive, HFS+ or NTFS file system would take for `.git`.
 */
export function isSafeName(name: string): boolean {
  const hfsClean = name.replace(/[\u200C-\u200F\u202A-\u202E\u206A-\u206F\uFEFF]/g, '')
  const normalized = hfsClean
    .split(':')[0]!
    .toLowerCase()
    .replace(/[. ]+$/, '')
  return !(
    name.includes('\\') ||
    name.includes('/') ||
    hfsClean === '.' ||
    hfsClean === '..' ||
    normalized === '.git' ||
    /^\.?git~[1-9]$/.test(normalized)
  )
}
