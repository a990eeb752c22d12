// Scan progress on stderr for a person at a terminal: images observed of the total, the registry of the
// last one, and errors so far. Never into a pipe or a log file, never with --json. cli-progress costs about
// 25 ms and 6 MB to load, so it is imported only when a terminal will show it.
import type { ScanProgress } from '../registry/observe.js'

export async function scanProgress(json: boolean | undefined): Promise<ScanProgress | undefined> {
  if (json || process.stderr.isTTY !== true) return undefined
  const { SingleBar } = await import('cli-progress')
  let bar: InstanceType<typeof SingleBar> | undefined
  let errors = 0
  return (done, total, observation) => {
    // Warnings (an incomplete listing) are not errors; the report after the run lists both.
    errors += observation.problems.filter((problem) => problem.severity !== 'warning').length
    const payload = { registry: observation.key.split('/')[0] ?? '', errors }
    if (bar === undefined) {
      bar = new SingleBar({
        format: 'scanning {bar} {value}/{total} images | {registry} | {errors} errors',
        stream: process.stderr,
        clearOnComplete: true,
        hideCursor: true,
      })
      bar.start(total, 0, payload)
    }
    bar.update(done, payload)
    // Each run of observe() gets a bar of its own: a recomputation after a rejected push starts again.
    if (done === total) {
      bar.stop()
      bar = undefined
      errors = 0
    }
  }
}
