// What /status shows: per image repository the last scan, per config repository the last update run and
// each target's decision. Workers write it, the web role reads it; the records live in hashes, in memory
// (embedded) or in Redis (status-redis.ts) so a web process sees what workers on other machines did.
import type {
  LockedStatus,
  ScanOutcome,
  ScheduledImage,
  TargetStatus,
  UpdateOutcome,
} from '../queue/contract.js'

export interface ImageStatus {
  image: string
  configRepos: string[]
  intervalMs: number
  /** ISO time of the last finished scan. */
  lastScanAt?: string
  tagsSeen?: number
  changed?: boolean
  error?: string
}

export interface ConfigRepoStatus {
  configRepo: string
  lastRunAt: string
  /** The last commit pushed and when, kept across runs that pushed nothing. */
  lastCommit?: string
  lastCommitAt?: string
  updates: number
  errors: string[]
  /** Annotation warnings of the last run (they never make it fail). */
  warnings?: string[]
  targets: TargetStatus[]
  /** Locked containers of the last run, with their lock messages. */
  locked?: LockedStatus[]
  /** The last fetch of the repository: `ok` false with the error when it could not be read. */
  sync?: RepoSyncRecord
}

export interface RepoSyncRecord {
  ok: boolean
  at: string
  error?: string
}

export interface StatusSnapshot {
  /** ISO time of the last discovery; absent until discovery ran once. */
  discoveredAt?: string
  images: ImageStatus[]
  configRepos: ConfigRepoStatus[]
}

/** The storage under the store: string fields in named hashes. */
export interface HashStorage {
  get(hash: string, field: string): Promise<string | undefined>
  set(hash: string, field: string, value: string): Promise<void>
  /** Replaces the whole hash with these fields. */
  replace(hash: string, fields: Map<string, string>): Promise<void>
  getAll(hash: string): Promise<Map<string, string>>
  delete(hash: string, field: string): Promise<void>
}

type ScanRecord = Pick<ImageStatus, 'lastScanAt' | 'tagsSeen' | 'changed' | 'error'>
type DiscoveryRecord = Pick<ImageStatus, 'configRepos' | 'intervalMs'>

const IMAGES = 'images'
const SCANS = 'scans'
const REPOS = 'repos'
const META = 'meta'
const SYNC = 'sync'

export class StatusStore {
  constructor(private readonly storage: HashStorage) {}

  async recordDiscovery(images: ScheduledImage[], at: Date): Promise<void> {
    const fields = new Map(
      images.map(({ image, configRepos, intervalMs }) => [
        image,
        JSON.stringify({ configRepos, intervalMs }),
      ]),
    )
    await this.storage.replace(IMAGES, fields)
    await this.storage.set(META, 'discoveredAt', at.toISOString())
  }

  async recordScan(image: string, outcome: ScanOutcome, at: Date): Promise<void> {
    const record: ScanRecord = {
      lastScanAt: at.toISOString(),
      tagsSeen: outcome.tagsSeen,
      changed: outcome.changed,
    }
    if (outcome.error !== undefined) record.error = outcome.error
    await this.storage.set(SCANS, image, JSON.stringify(record))
  }

  async recordScanFailure(image: string, error: string, at: Date): Promise<void> {
    const previous = await this.read<ScanRecord>(SCANS, image)
    const record: ScanRecord = { ...previous, lastScanAt: at.toISOString(), error }
    await this.storage.set(SCANS, image, JSON.stringify(record))
  }

  async recordUpdate(configRepo: string, outcome: UpdateOutcome, at: Date): Promise<void> {
    const previous = await this.read<ConfigRepoStatus>(REPOS, configRepo)
    const record: ConfigRepoStatus = {
      configRepo,
      lastRunAt: at.toISOString(),
      updates: outcome.updates,
      errors: outcome.errors,
      targets: outcome.targets,
    }
    if (outcome.warnings?.length) record.warnings = outcome.warnings
    if (outcome.locked?.length) record.locked = outcome.locked
    const lastCommit = outcome.commit ?? previous?.lastCommit
    const lastCommitAt = outcome.commit ? at.toISOString() : previous?.lastCommitAt
    if (lastCommit !== undefined) record.lastCommit = lastCommit
    if (lastCommitAt !== undefined) record.lastCommitAt = lastCommitAt
    await this.storage.set(REPOS, configRepo, JSON.stringify(record))
  }

  /** A run that threw: keeps the previous targets and commit, shows the error. */
  async recordUpdateFailure(configRepo: string, error: string, at: Date): Promise<void> {
    const previous = await this.read<ConfigRepoStatus>(REPOS, configRepo)
    const outcome: UpdateOutcome = { updates: 0, errors: [error], targets: previous?.targets ?? [] }
    if (previous?.locked) outcome.locked = previous.locked
    await this.recordUpdate(configRepo, outcome, at)
  }

  /** Whether the last fetch of a config repository worked; shown in /status even if no update ran yet. */
  async recordSync(configRepo: string, error: string | undefined, at: Date): Promise<void> {
    const record: RepoSyncRecord = { ok: error === undefined, at: at.toISOString() }
    if (error !== undefined) record.error = error
    await this.storage.set(SYNC, configRepo, JSON.stringify(record))
  }

  async isKnownImage(image: string): Promise<boolean> {
    return (await this.storage.get(IMAGES, image)) !== undefined
  }

  async discoveredAt(): Promise<string | undefined> {
    return await this.storage.get(META, 'discoveredAt')
  }

  async snapshot(): Promise<StatusSnapshot> {
    const [discovered, scans, repos, syncs, discoveredAt] = await Promise.all([
      this.storage.getAll(IMAGES),
      this.storage.getAll(SCANS),
      this.storage.getAll(REPOS),
      this.storage.getAll(SYNC),
      this.discoveredAt(),
    ])
    const images = [...discovered].map(([image, json]): ImageStatus => {
      const scan = scans.get(image)
      return {
        image,
        ...(JSON.parse(json) as DiscoveryRecord),
        ...(scan ? (JSON.parse(scan) as ScanRecord) : {}),
      }
    })
    const snapshot: StatusSnapshot = {
      images: images.sort((a, b) => a.image.localeCompare(b.image)),
      configRepos: withSync(repos, syncs).sort((a, b) => a.configRepo.localeCompare(b.configRepo)),
    }
    if (discoveredAt !== undefined) snapshot.discoveredAt = discoveredAt
    return snapshot
  }

  private async read<T>(hash: string, field: string): Promise<T | undefined> {
    const json = await this.storage.get(hash, field)
    return json === undefined ? undefined : (JSON.parse(json) as T)
  }
}

/** Repositories with their last fetch; one never updated because it cannot be read is listed with its error. */
function withSync(repos: Map<string, string>, syncs: Map<string, string>): ConfigRepoStatus[] {
  const out = new Map([...repos].map(([url, json]) => [url, JSON.parse(json) as ConfigRepoStatus]))
  for (const [configRepo, json] of syncs) {
    const sync = JSON.parse(json) as RepoSyncRecord
    const known = out.get(configRepo)
    if (known) known.sync = sync
    // A readable repository appears with its first update run, as before; an unreadable one at once.
    else if (!sync.ok)
      out.set(configRepo, {
        configRepo,
        lastRunAt: sync.at,
        updates: 0,
        errors: sync.error === undefined ? [] : [sync.error],
        targets: [],
        sync,
      })
  }
  return [...out.values()]
}

export function memoryHashStorage(): HashStorage {
  const hashes = new Map<string, Map<string, string>>()
  const hash = (name: string) => hashes.get(name) ?? hashes.set(name, new Map()).get(name)!
  return {
    get: async (name, field) => hash(name).get(field),
    set: async (name, field, value) => void hash(name).set(field, value),
    replace: async (name, fields) => void hashes.set(name, new Map(fields)),
    getAll: async (name) => new Map(hash(name)),
    delete: async (name, field) => void hash(name).delete(field),
  }
}

export function memoryStatusStore(): StatusStore {
  return new StatusStore(memoryHashStorage())
}
