// Suspended config repositories: scanned and shown, never written. Kept in Redis when the daemon runs on
// it, else in the state directory, so a suspension survives a restart.
import type { HashStorage } from './status.js'

const SUSPENDED = 'suspended'

export class SuspensionStore {
  constructor(private readonly storage: HashStorage) {}

  async isSuspended(configRepo: string): Promise<boolean> {
    return (await this.storage.get(SUSPENDED, configRepo)) !== undefined
  }

  async set(configRepo: string, suspended: boolean, at = new Date()): Promise<void> {
    if (suspended) await this.storage.set(SUSPENDED, configRepo, at.toISOString())
    else await this.storage.delete(SUSPENDED, configRepo)
  }

  async list(): Promise<string[]> {
    return [...(await this.storage.getAll(SUSPENDED)).keys()].sort()
  }
}
