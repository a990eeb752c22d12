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
  const lookup = typeof textOf === 'function' ? textOf : (file: string) => textOf.get(file)
  const byFile = new Map<string, TagEdit[]>()
  for (const edit of edits) {
    const list = byFile.get(edit.target.file)
    if (list) list.push(edit)
    else byFile.set(edit.target.file, [edit])
  }
  const rewrites: (FileRewrite & { file: string })[] = []
  const missing: Problem[] = []
  for (const [file, fileEdits] of byFile) {
    const text = lookup(file)
    if (text === undefined) {
      missing.push({
        code: 'REWRITE_UNSAFE',
        file,
        message: `${file}: file not found for rewriting; skipped`,
      })
      continue
    }
    rewrites.push({ file, ...rewriteFile(file, text, fileEdits) })
  }
  const outcome = buildUpdateResult(rewrites)
  outcome.problems.unshift(...missing)
  return outcome
}
