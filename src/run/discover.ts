// Both dialects of intent over one set of files: Flux v1 annotations (manifests/) and Flux v2 markers with
// the objects read from the repo (flux2/). Their targets meet in one plan, so one run makes one commit.
import { discoverFlux, type FluxDiscovery } from '../flux2/index.js'
import { type DiscoverOptions, discover, type ManifestFile } from '../manifests/index.js'

export function discoverAll(files: ManifestFile[], options: DiscoverOptions = {}): FluxDiscovery {
  const annotated = discover(files, options)
  const flux = discoverFlux(files, options)
  // A file both screens parse is reported once when it does not parse.
  const reported = new Set(annotated.problems.map((problem) => problem.message))
  return {
    targets: [...annotated.targets, ...flux.targets],
    skipped: [...annotated.skipped, ...flux.skipped],
    problems: [...annotated.problems, ...flux.problems.filter((problem) => !reported.has(problem.message))],
    objects: flux.objects,
  }
}
