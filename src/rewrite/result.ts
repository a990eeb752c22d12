// Collecting per-file rewrites into the UpdateResult that write-back commits.

import type { Problem } from '../problems.js'
import type { UpdateResult } from '../types.js'
import { type FileRewrite, rewriteFile, type TagEdit } from './rewrite-file.js'

export interface RewriteOutcome {
  /** Only files with at least one change. */
  update: UpdateResult
  problems: Problem[]
}

export function buildUpdateResult(rewrites: Iterable<FileRewrite & { file: string }>): RewriteOutcome {
  const outcome: RewriteOutcome = { update: { files: new Map() }, problems: [] }
  for (const { file, text, changes, problems } of rewrites) {
    outcome.problems.push(...problems)
    if (changes.length > 0) outcome.update.files.set(file, { text, changes })
  }
  return outcome
}

/** Groups edits by file, rewrites each file from its current text, and collects the result. */
export function rewriteFiles(
  textOf: ReadonlyMap<string, string> | ((file: string) => string | undefined),
  edits: Iterable<TagEdit>,
): RewriteOutcome {
  const { byFile, missing } = group(textOf, edits)
  const outcome = buildUpdateResult(
    [...byFile].map(([file, { text, edits }]) => ({ file, ...rewriteFile(file, text, edits) })),
  )
  outcome.problems.unshift(...missing)
  return outcome
}

function group(
  textOf: ReadonlyMap<string, string> | ((file: string) => string | undefined),
  edits: Iterable<TagEdit>,
): { byFile: Map<string, { text: string; edits: TagEdit[] }>; missing: Problem[] } {
  const lookup = typeof textOf === 'function' ? textOf : (file: string) => textOf.get(file)
  const byFile = new Map<string, { text: string; edits: TagEdit[] }>()
  const missing: Problem[] = []
  const absent = new Set<string>()
  for (const edit of edits) {
    const file = edit.target.file
    const entry = byFile.get(file)
    if (entry) {
      entry.edits.push(edit)
      continue
    }
    if (absent.has(file)) continue
    const text = lookup(file)
    if (text === undefined) {
      absent.add(file)
      missing.push({
        code: 'REWRITE_UNSAFE',
        file,
        message: `${file}: file not found for rewriting; skipped`,
      })
      continue
    }
    byFile.set(file, { text, edits: [edit] })
  }
  return { byFile, missing }
}
