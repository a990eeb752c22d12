// `imagebot plan <dir>`: the pipeline on a local checkout, without git: read, discover, observe, decide, rewrite.
import type { ImagebotConfig } from '../config/index.js'
import { readConfigDir } from '../manifests/index.js'
import type { RegistryClient } from '../registry/client.js'
import { runObserver } from './observer.js'
import { type Plan, planFiles } from './plan.js'

export async function planDirectory(
  dir: string,
  config: ImagebotConfig,
  client: RegistryClient,
): Promise<Plan> {
  const read = await readConfigDir(dir)
  const plan = await planFiles(read.files, runObserver(client, config.scan.concurrency), {
    excludeTags: config.scan.excludeTags,
    ...(config.scan.includeImages && { includeImages: config.scan.includeImages }),
    ...(config.scan.excludeImages && { excludeImages: config.scan.excludeImages }),
  })
  plan.errors.unshift(...read.problems)
  return plan
}
