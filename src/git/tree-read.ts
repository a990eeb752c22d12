// Reads files of one commit straight from tree objects: no checkout, only directories under the wanted prefixes
// are walked, and blobs the screen rejects are never decoded.

import git from 'isomorphic-git'
import { readTreeEntries } from './raw-tree.js'
import type { ObjectCache } from './remote.js'
import { syncFs as fs } from './sync-fs.js'

/**
 * `unsafe-name`: a file or directory whose name git refuses to check out (`docs/a\b.md`, `.GIT/`); it is
 * left out and carried over untouched by commits. `unsafe-name-manifest`: the same for a YAML file the screen
 * wants, which therefore cannot be updated.
 */
export type SkipReason =
  | 'symlink'
  | 'submodule'
  | 'too-large'
  | 'not-utf8'
  | 'unsafe-name'
  | 'unsafe-name-manifest'

export interface ReadFilesOptions {
  /** Directory paths relative to the repository root ("" or "." for everything). Default: everything. */
  prefixes?: string[]
  /** Return false to drop a file before it is decoded (e.g. no `$imagepolicy` token in it). */
  screen?: (path: string, bytes: Uint8Array) => boolean
  /** Larger files are skipped (reported through onSkip as 'too-large'). */
  maxBytes?: number
  /** Told about every file left out for a reason other than the screen. */
  onSkip?: (path: string, reason: SkipReason) => void
  /**
   * Path + blob oid of files the screen rejected on earlier reads. A blob is immutable, so a file already
   * rejected is not decompressed again: a steady-state read costs the tree walk and the annotated files only.
   * Pass the same set with the same screen on every call.
   */
  rejected?: Set<string>
}

export interface RepoFile {
  path: string
  /** UTF-8 text; a BOM stays as \uFEFF so Buffer.from(text, 'utf8') gives the original bytes back. */
  text: string
}

interface TreeWalk {
  dir: string
  cache: ObjectCache
  prefixes: string[]
  options: ReadFilesOptions
  files: RepoFile[]
}

export async function readFilesAt(
  dir: string,
  cache: ObjectCache,
  commit: string,
  options: ReadFilesOptions = {},
): Promise<RepoFile[]> {
  const { commit: parsed } = await git.readCommit({ fs, dir, oid: commit, cache })
  const prefixes = (options.prefixes ?? ['']).map(normalizePrefix)
  const walk: TreeWalk = { dir, cache, prefixes, options, files: [] }
  await walkTree(walk, parsed.tree, '')
  return walk.files
}

async function walkTree(walk: TreeWalk, treeOid: string, base: string): Promise<void> {
  for (const entry of await readTreeEntries(walk.dir, walk.cache, treeOid)) {
    const path = base ? `${base}/${entry.path}` : entry.path
    if (entry.type === 'tree') {
      if (!walk.prefixes.some((prefix) => dirMayHoldWanted(path, prefix))) continue
      if (entry.safe) await walkTree(walk, entry.oid, path)
      else walk.options.onSkip?.(path, 'unsafe-name')
      continue
    }
    if (!walk.prefixes.some((prefix) => isUnder(path, prefix))) continue
    if (!entry.safe) await skipUnsafeFile(walk, path, entry.oid)
    else if (entry.mode === '120000') walk.options.onSkip?.(path, 'symlink')
    else if (entry.type === 'commit') walk.options.onSkip?.(path, 'submodule')
    else await readBlobEntry(walk, path, entry.oid)
  }
}

async function readBlobEntry(walk: TreeWalk, path: string, oid: string): Promise<void> {
  const { maxBytes, screen, onSkip, rejected } = walk.options
  const memoKey = `${oid} ${path}`
  if (rejected?.has(memoKey)) return
  const { blob } = await git.readBlob({ fs, dir: walk.dir, oid, cache: walk.cache })
  if (maxBytes !== undefined && blob.length > maxBytes) {
    onSkip?.(path, 'too-large')
    return
  }
  if (screen && !screen(path, blob)) {
    rejected?.add(memoKey)
    return
  }
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.length)
  const text = bytes.toString('utf8')
  // Invalid UTF-8 would come back as U+FFFD and a rewrite would silently change other bytes of the file.
  if (Buffer.byteLength(text, 'utf8') !== bytes.length || !Buffer.from(text, 'utf8').equals(bytes)) {
    onSkip?.(path, 'not-utf8')
    return
  }
  walk.files.push({ path, text })
}

/** A file with an unsafe name is never read into the plan; whether the screen wants it says how loud to be. */
async function skipUnsafeFile(walk: TreeWalk, path: string, oid: string): Promise<void> {
  const { screen, onSkip } = walk.options
  const { blob } = await git.readBlob({ fs, dir: walk.dir, oid, cache: walk.cache })
  onSkip?.(path, screen === undefined || screen(path, blob) ? 'unsafe-name-manifest' : 'unsafe-name')
}

function normalizePrefix(prefix: string): string {
  const trimmed = prefix
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+|\/+$/g, '')
  return trimmed === '.' ? '' : trimmed
}

function isUnder(path: string, prefix: string): boolean {
  return prefix === '' || path === prefix || path.startsWith(`${prefix}/`)
}

/** A directory is worth walking when it lies under a prefix or on the way to one. */
function dirMayHoldWanted(path: string, prefix: string): boolean {
  return isUnder(path, prefix) || prefix.startsWith(`${path}/`)
}
