// What the daemon's recent scans of each image saw and asked for: the tag list of the last scan that found a
// change, for the update it triggers to decide on (no second listing milliseconds later), and the config
// repositories queued on that list. A later scan that lists exactly the same tags, cleanly, does not queue
// those repositories again: with pushes close together, a webhook's confirming scan a second later used to
// queue a second, empty update behind the one already running on the same tags, and the next push's update
// waited for it (`npm run bench -- pipeline`, burst figures). A scan that saw a problem (a manifest not
// linked yet) is never taken as settled, and an update that fails is forgotten, so the next scan queues it
// again.
import type { TagListing } from '../registry/tags.js'
import type { Listings } from './observer.js'

interface ScanEntry {
  /** When the scan that first saw these tags ran (Date.now()); identical lists later do not renew it. */
  at: number
  listing: Promise<TagListing>
  /** The tags, joined, once known; undefined for a scan that saw a problem (never settled). */
  tags: string | undefined
  queued: Set<string>
}

export class ScanMemory {
  private readonly entries = new Map<string, ScanEntry>()

  constructor(private readonly reuseMs: number) {}

  /** The listings young enough for an update to decide on; older ones are forgotten. */
  recentListings(): Listings {
    const recent: Listings = new Map()
    for (const [image, entry] of this.entries) {
      if (this.young(entry)) recent.set(image, entry.listing)
      else this.entries.delete(image)
    }
    return recent
  }

  /**
   * Records a scan of `image` and returns which of the `affected` config repositories it must queue: all of
   * them, except those a recent clean scan of the very same tags queued already.
   */
  async toQueue(
    image: string,
    listing: Promise<TagListing> | undefined,
    affected: Set<string>,
    clean: boolean,
  ): Promise<string[]> {
    if (affected.size === 0 || !listing) {
      this.entries.delete(image)
      return []
    }
    const tags = clean ? tagsKey(await listing.catch(() => undefined)) : undefined
    const previous = this.entries.get(image)
    const settled =
      previous && this.young(previous) && tags !== undefined && previous.tags === tags ? previous : undefined
    if (!settled) {
      this.entries.set(image, { at: Date.now(), listing, tags, queued: new Set(affected) })
      return [...affected]
    }
    const fresh = [...affected].filter((repo) => !settled.queued.has(repo))
    for (const repo of fresh) settled.queued.add(repo)
    return fresh
  }

  /** An update of `configRepo` failed: the next scan queues it again, whatever it lists. */
  forgetRepository(configRepo: string): void {
    for (const entry of this.entries.values()) entry.queued.delete(configRepo)
  }

  private young(entry: ScanEntry): boolean {
    return Date.now() - entry.at <= this.reuseMs
  }
}

function tagsKey(listing: TagListing | undefined): string | undefined {
  return listing?.complete ? listing.tags.join('\n') : undefined
}
