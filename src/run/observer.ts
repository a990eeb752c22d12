// The observe stage as the pipeline sees it: one registry client for the process (its metadata cache is
// persisted in the state directory), and an observer that looks each repository up once per run.
import { join } from 'node:path'
import { type ImagebotConfig, registrySettings } from '../config/index.js'
import { repositoryKey } from '../image/reference.js'
import { createRegistryClient, type RegistryClient } from '../registry/client.js'
import { observe, type ScanProgress } from '../registry/observe.js'
import type { SharedMetadataStore } from '../registry/shared-store.js'
import type { RequestEvent } from '../registry/transport.js'
import type { Observer } from './plan.js'

export interface ObserverDeps {
  env?: NodeJS.ProcessEnv
  onRequest?: (event: RequestEvent) => void
  /** The metadata tier shared by the processes of a distributed daemon (Redis). */
  sharedStore?: SharedMetadataStore
}

export function createClient(config: ImagebotConfig, deps: ObserverDeps = {}): RegistryClient {
  const options: Parameters<typeof createRegistryClient>[0] = {
    registries: registrySettings(config),
    stateDir: join(config.stateDir, 'registry'),
    env: deps.env ?? {},
  }
  if (config.dockerConfig) options.dockerConfigPath = config.dockerConfig
  if (deps.onRequest) options.onRequest = deps.onRequest
  if (deps.sharedStore) options.sharedStore = deps.sharedStore
  return createRegistryClient(options)
}

/** Tag lists by repositoryKey, as a run's observer keeps them. */
export type Listings = Map<string, ReturnType<RegistryClient['listTags']>>

/**
 * An observer for one run. Tag lists are remembered for the run, so a recomputation after a rejected push,
 * or a second config repository using the same image, lists nothing again; metadata always goes through the
 * client, whose digest-keyed cache makes a known tag free, while a changed filter still gets what it needs.
 * `listings`, when given, is where they are remembered: it may already hold lists made moments ago.
 */
export function runObserver(
  client: RegistryClient,
  concurrency: number,
  onProgress?: ScanProgress,
  listings: Listings = new Map(),
): Observer {
  const listTags: RegistryClient['listTags'] = (image) => {
    const key = repositoryKey(image)
    let listing = listings.get(key)
    if (listing === undefined) {
      listing = client.listTags(image)
      // A failed listing is not remembered: the next recomputation may try again.
      listing.catch(() => listings.delete(key))
      listings.set(key, listing)
    }
    return listing
  }
  const memoized: RegistryClient = {
    listTags,
    tagMetadata: (image, tag) => client.tagMetadata(image, tag),
    retainTags: (image, tags) => client.retainTags(image, tags),
    save: () => client.save(),
    pullBudgetExhausted: (host) => client.pullBudgetExhausted(host),
    warnings: client.warnings,
  }
  return (requests) => observe(memoized, requests, { concurrency, ...(onProgress && { onProgress }) })
}
