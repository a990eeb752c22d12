// What imagebot already knows about tags, kept across restarts: per repository tag → digest (with
// when it was last checked), and per digest the build metadata (immutable: a digest names its
// content). Persisted as one JSON file in the state directory, written atomically (tmp + rename).
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export interface TagEntry {
  digest: string
  /** Epoch ms of the last time the registry confirmed this digest. */
  checkedAt: number
}

export interface DetailsEntry {
  created?: string
  labels?: Record<string, string>
}

interface StateFile {
  version: 1
  /** repository key → tag → [digest, checkedAt] */
  tags: Record<string, Record<string, [string, number]>>
  /** details key (digest, or "digest platform" for an index) → details */
  details: Record<string, DetailsEntry>
  /** registry host → tags/list page size the registry accepted */
  pageSizes: Record<string, number>
}

export const STATE_FILE = 'registry-cache.json'

export class MetadataCache {
  /** Why the state file was ignored, when it was (corrupt or from another version). */
  loadWarning: string | undefined
  private readonly tags = new Map<string, Map<string, TagEntry>>()
  private readonly details = new Map<string, DetailsEntry>()
  private readonly pageSizes = new Map<string, number>()
  private dirty = false
  private saving: Promise<void> = Promise.resolve()

  private constructor(private readonly file: string | undefined) {}

  static async load(stateDir: string | undefined): Promise<MetadataCache> {
    const cache = new MetadataCache(stateDir ? join(stateDir, STATE_FILE) : undefined)
    if (cache.file) await cache.read(cache.file)
    return cache
  }

  static detailsKey(digest: string, indexPlatform?: string): string {
    return indexPlatform ? `${digest} ${indexPlatform}` : digest
  }

  getTag(repository: string, tag: string): TagEntry | undefined {
    return this.tags.get(repository)?.get(tag)
  }

  setTag(repository: string, tag: string, entry: TagEntry): void {
    const byTag = this.tags.get(repository) ?? new Map<string, TagEntry>()
    this.tags.set(repository, byTag)
    byTag.set(tag, entry)
    this.dirty = true
  }

  /** Forgets tags of `repository` that are no longer listed (or no longer wanted). */
  retainTags(repository: string, keep: Set<string>): void {
    const byTag = this.tags.get(repository)
    if (!byTag) return
    for (const tag of byTag.keys()) {
      if (!keep.has(tag)) {
        byTag.delete(tag)
        this.dirty = true
      }
    }
  }

  getDetails(key: string): DetailsEntry | undefined {
    return this.details.get(key)
  }

  setDetails(key: string, entry: DetailsEntry): void {
    this.details.set(key, entry)
    this.dirty = true
  }

  getPageSize(host: string): number | undefined {
    return this.pageSizes.get(host)
  }

  setPageSize(host: string, size: number): void {
    if (this.pageSizes.get(host) === size) return
    this.pageSizes.set(host, size)
    this.dirty = true
  }

  /** Writes the state file if anything changed; saves are serialized. */
  save(): Promise<void> {
    const run = this.saving.then(() => this.write())
    this.saving = run.catch(() => undefined)
    return run
  }

  private async write(): Promise<void> {
    if (!this.file || !this.dirty) return
    this.dirty = false
    const text = JSON.stringify(this.snapshot())
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
    try {
      await mkdir(join(this.file, '..'), { recursive: true })
      await writeFile(tmp, text)
      await rename(tmp, this.file)
    } catch (error) {
      this.dirty = true
      await unlink(tmp).catch(() => undefined)
      throw error
    }
  }

  private snapshot(): StateFile {
    const state: StateFile = {
      version: 1,
      tags: {},
      details: {},
      pageSizes: Object.fromEntries(this.pageSizes),
    }
    const referenced = new Set<string>()
    for (const [repository, byTag] of this.tags) {
      if (byTag.size === 0) continue
      const out: Record<string, [string, number]> = {}
      for (const [tag, entry] of byTag) {
        out[tag] = [entry.digest, entry.checkedAt]
        referenced.add(entry.digest)
      }
      state.tags[repository] = out
    }
    // Details no tag points at any more are dropped, so the file does not grow forever.
    for (const [key, entry] of this.details) {
      if (referenced.has(key.split(' ')[0] ?? key)) state.details[key] = entry
    }
    return state
  }

  private async read(file: string): Promise<void> {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        this.loadWarning = `cannot read ${file}; starting empty`
      return
    }
    try {
      this.restore(JSON.parse(text) as StateFile)
    } catch {
      this.tags.clear()
      this.details.clear()
      this.pageSizes.clear()
      this.loadWarning = `${file} is unreadable; starting with an empty registry cache`
    }
  }

  private restore(state: StateFile): void {
    if (state.version !== 1) throw new Error('version')
    for (const [repository, byTag] of Object.entries(state.tags)) {
      const map = new Map<string, TagEntry>()
      for (const [tag, [digest, checkedAt]] of Object.entries(byTag)) {
        if (typeof digest !== 'string' || typeof checkedAt !== 'number') throw new Error('entry')
        map.set(tag, { digest, checkedAt })
      }
      this.tags.set(repository, map)
    }
    for (const [key, entry] of Object.entries(state.details)) this.details.set(key, entry)
    for (const [host, size] of Object.entries(state.pageSizes)) {
      if (typeof size === 'number' && size > 0) this.pageSizes.set(host, size)
    }
  }
}
