// `imagebot release`: fluxctl release --update-image on git, through the bot's rewrite and commit message.
import { createClient, runObserver } from '../run/observer.js'
import { releaseImage, releaseSteering } from '../run/release-verb.js'
import { normalizeWorkloadId } from '../run/workload-find.js'
import { checkArguments, runSteer, type SteerFlags } from './steer-run.js'

interface ReleaseFlags extends SteerFlags {
  workload: string
  updateImage: string
  force?: boolean
}

export async function run([dir]: (string | undefined)[], flags: ReleaseFlags): Promise<void> {
  const workload = checkArguments(() => normalizeWorkloadId(flags.workload))
  checkArguments(() => releaseImage(flags.updateImage))
  await runSteer(dir, flags, (config, repository) => {
    const observer = runObserver(createClient(config, { env: process.env }), config.scan.concurrency)
    const template = repository?.commit.message
    return (files) =>
      releaseSteering(
        files,
        {
          workload,
          image: flags.updateImage,
          excludeTags: config.scan.excludeTags,
          ...(flags.force && { force: true }),
          ...(template !== undefined && { messageTemplate: template }),
        },
        observer,
      )
  })
}
