// The commit message for one UpdateResult: Flux v1 compatible by default, or the user's template; the trailers
// are always appended so review tooling (git log --grep, interpret-trailers) works either way.
import type { UpdateResult } from '../types.js'
import { changeLine, messageData, trailerLines } from './data.js'
import { renderTemplate } from './template.js'

export interface CommitMessageOptions {
  /** Config `commit.message`; validate it with validateCommitTemplate when the config is loaded. */
  template?: string
}

/** Throws when the result holds no change (nothing to commit) or the template is invalid. */
export function buildCommitMessage(result: UpdateResult, options: CommitMessageOptions = {}): string {
  const data = messageData(result)
  const rendered = options.template === undefined ? '' : renderTemplate(options.template, data).trim()
  const main = rendered || `${data.subject}\n\n${data.changes.map(changeLine).join('\n')}`
  return `${main}\n\n${trailerLines(data).join('\n')}\n`
}
