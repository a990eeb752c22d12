// discover: config repo files → targets (what may be updated), skipped containers, problems.
// Each file is screened on its text first; only files that might be automated are parsed.

import type { YAMLError } from 'yaml'
import type { Problem } from '../problems.js'
import { MAX_ALIAS_COUNT, parseYaml, type YamlDoc } from '../yaml/parse.js'
import { type Discovery, discoverDocument } from './document.js'
import { mightBeAutomated } from './screen.js'
import { chartDirectories, isChartTemplate, type Selection, Selector } from './select.js'

export type { Discovery } from './document.js'

export interface ManifestFile {
  /** Relative to the scanned root, forward slashes. */
  path: string
  /** Full text: a BOM stays as \uFEFF, CRLF stays as is. */
  text: string
}

export interface DiscoverOptions extends Selection {
  /** Larger files are reported and not parsed; default 1 MiB. */
  maxFileBytes?: number
  /**
   * For the manual verbs (`release`, `policy`, `images --all`): every file is parsed and every container of every
   * workload is a target, automated or not, locked or not; the caller decides what a lock means.
   */
  manual?: boolean
}

export { MAX_ALIAS_COUNT } from '../yaml/parse.js'
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024

export function discover(files: Iterable<ManifestFile>, options: DiscoverOptions = {}): Discovery {
  const out: Discovery = { targets: [], skipped: [], problems: [] }
  const selector = new Selector(options)
  const all = [...files]
  const charts = chartDirectories(all.map((file) => file.path))
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES
  for (const file of all) {
    if (!selector.file(file.path) || (!options.manual && !mightBeAutomated(file.text))) continue
    if (isChartTemplate(file.path, file.text, charts)) continue
    const size = file.text.length > maxBytes / 3 ? Buffer.byteLength(file.text) : 0
    if (size > maxBytes) {
      out.problems.push(tooLarge(file.path, size, maxBytes))
      continue
    }
    discoverFile(file, selector, out, options.manual === true)
  }
  return out
}

function discoverFile(file: ManifestFile, selector: Selector, out: Discovery, manual: boolean): void {
  const { docs, error } = parseYaml(file.text)
  if (error) {
    // A Helm template whose `{{ … }}` breaks the YAML is not a manifest: skip it silently.
    if (!file.text.includes('{{')) out.problems.push(parseProblem(file.path, error))
    return
  }
  if (docs.some((doc) => doc.aliased.size > 0)) {
    const bomb = aliasBomb(file.path, docs)
    if (bomb) {
      out.problems.push(bomb)
      return
    }
  }
  docs.forEach((doc, index) => {
    discoverDocument(file.path, index, doc, file.text, selector, out, manual)
  })
}

export function parseProblem(file: string, error: YAMLError): Problem {
  const position = error.linePos?.[0]
  const where = position ? `line ${position.line}, column ${position.col}` : `offset ${error.pos[0]}`
  // Only the first line: the rest quotes the file, which may hold secrets.
  const reason = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')
  return {
    code: 'YAML_PARSE',
    file,
    offset: error.pos[0],
    message: `${file}: YAML does not parse at ${where}: ${reason}; fix the file (nothing in it is updated until then)`,
  }
}

/** Expanding aliases past the limit (a "billion laughs" file) is refused for the whole file. */
function aliasBomb(file: string, docs: YamlDoc[]): Problem | undefined {
  for (const doc of docs) {
    // Without aliases nothing can expand; expanding anyway cost a copy of every document.
    if (doc.aliased.size === 0) continue
    try {
      doc.toJS()
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      return {
        code: 'ALIAS_LIMIT',
        file,
        message: `${file}: YAML aliases expand past ${MAX_ALIAS_COUNT} nodes (${reason}); the file is not read`,
      }
    }
  }
  return undefined
}

export function tooLarge(file: string, size: number, limit: number): Problem {
  return {
    code: 'FILE_TOO_LARGE',
    file,
    message: `${file}: ${size} bytes is over the ${limit}-byte limit; the file is skipped (raise maxFileBytes to read it)`,
  }
}
