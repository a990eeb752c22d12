export { type ParsedYaml, parseYaml, type YamlDoc } from '../yaml/parse.js'
export {
  DEFAULT_MAX_FILE_BYTES,
  type DiscoverOptions,
  type Discovery,
  discover,
  MAX_ALIAS_COUNT,
  type ManifestFile,
} from './discover.js'
export { CHART_IMAGE } from './helm-values.js'
export { type ConfigDir, readConfigDir } from './read-dir.js'
export { NOT_AUTOMATED, type TargetsReport, targetsReport } from './report.js'
export { mightBeAutomated, mightBeAutomatedBytes } from './screen.js'
export { isManifestFile } from './select.js'
