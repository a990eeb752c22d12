// `imagebot plan <dir>`: the pipeline on a local checkout, without git: read, discover, observe, decide, rewrite.
import type { ImagebotConfig } from '../config/index.js'
import { mightHoldObjects } from '../flux2/index.js'
import { type DiscoverOptions, readConfigDir } from '../manifests/index.js'
import type { RegistryClient } from '../registry/client.js'
import type { ScanProgress } from '../registry/observe.js'
import { runObserver } from './observer.js'
import { type Plan, planFiles } from './plan.js'

/** `selection`: the paths and namespaces of the config repository the directory is a checkout of. */
export async function planDirectory(
  dir: string,
  config: ImagebotConfig,
  client: RegistryClient,
  selection: Pick<DiscoverOptions, 'paths' | 'namespaces'> = {},
  onProgress?: ScanProgress,
): Promise<Plan> {
  // The Flux objects are read from the whole tree; paths limit where updates are written.
  const read = await readConfigDir(dir, selection, mightHoldObjects)
  const plan = await planFiles(read.files, runObserver(client, config.scan.concurrency, onProgress), {
    ...selection,
    excludeTags: config.scan.excludeTags,
    ...(config.scan.includeImages && { includeImages: config.scan.includeImages }),
    ...(config.scan.excludeImages && { excludeImages: config.scan.excludeImages }),
  })
  plan.errors.unshift(...read.problems)
  return plan
}
