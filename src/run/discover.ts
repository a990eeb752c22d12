// Both dialects of intent over one set of files: Flux v1 annotations (manifests/) and Flux v2 markers with
// the objects read from the repo (flux2/), with the namespaces kustomizations give their resources. Their
// targets meet in one plan, so one run makes one commit.
import {
  discoverFlux,
  type FluxDiscovery,
  kustomizeNamespaces,
  overlayPins,
  readKustomizations,
} from '../flux2/index.js'
import { type DiscoverOptions, discover, type ManifestFile, NOT_AUTOMATED } from '../manifests/index.js'
import { Selector } from '../manifests/select.js'

export function discoverAll(files: ManifestFile[], options: DiscoverOptions = {}): FluxDiscovery {
  const kustomizations = readKustomizations(files)
  const paths = new Set(files.map((file) => file.path))
  const selection = { ...options, namespaceOf: kustomizeNamespaces(kustomizations, paths) }
  const annotated = discover(files, selection)
  const flux = discoverFlux(files, selection)
  const marked = new Set(flux.targets.map((target) => `${target.file} ${target.workload}`))
  // A file both screens parse is reported once when it does not parse.
  const reported = new Set(annotated.problems.map((problem) => problem.message))
  const found: FluxDiscovery = {
    targets: [...annotated.targets, ...flux.targets],
    // A workload its markers automate is not "not automated" for want of Flux v1 annotations.
    skipped: [
      ...annotated.skipped.filter(
        (entry) => !(entry.reason === NOT_AUTOMATED && marked.has(`${entry.file} ${entry.workload}`)),
      ),
      ...flux.skipped,
    ],
    problems: [...annotated.problems, ...flux.problems.filter((problem) => !reported.has(problem.message))],
    objects: flux.objects,
  }
  const pins: FluxDiscovery = { ...found, skipped: [] }
  overlayPins(kustomizations, new Map(files.map((file) => [file.path, file])), found.targets, pins)
  const selector = new Selector(options)
  found.skipped.push(...pins.skipped.filter((entry) => selector.file(entry.file)))
  return found
}
