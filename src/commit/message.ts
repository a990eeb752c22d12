// The commit message for one UpdateResult: Flux v1 compatible by default, or the user's template; the trailers
// are always appended so review tooling (git log --grep, interpret-trailers) works either way.
import type { UpdateResult } from '../types.js'
import { changeLine, messageData, trailerLines } from './data.js'
import { renderTemplate } from './template.js'

export interface CommitMessageOptions {
  /** Config `commit.message`; validate it with validateCommitTemplate when the config is loaded. */
  template?: string
  /** Appended to the subject line (Flux v1 --git-ci-skip-message), e.g. `[ci skip]`. */
  ciSkip?: string
  /** Renders the message instead of `template` (a Flux messageTemplate); throws when it cannot. */
  render?: (result: UpdateResult) => string
}

/** Throws when the result holds no change (nothing to commit) or the template is invalid. */
export function buildCommitMessage(result: UpdateResult, options: CommitMessageOptions = {}): string {
  const data = messageData(result)
  const rendered = options.render
    ? options.render(result).trim()
    : options.template === undefined
      ? ''
      : renderTemplate(options.template, data).trim()
  const main = rendered || `${data.subject}\n\n${data.changes.map(changeLine).join('\n')}`
  return `${withCiSkip(main, options.ciSkip)}\n\n${trailerLines(data).join('\n')}\n`
}

/**
 * The CI-skip text goes at the end of the subject, not after the message as Flux v1 put it: the trailers must
 * stay the last paragraph for git interpret-trailers, and CI systems look for it anywhere in the message
 * (GitHub, GitLab, Travis) or in the subject only (some Jenkins and Drone setups).
 */
export function withCiSkip(message: string, ciSkip: string | undefined): string {
  if (ciSkip === undefined || ciSkip.trim() === '') return message
  const end = message.indexOf('\n')
  const subject = end < 0 ? message : message.slice(0, end)
  if (subject.includes(ciSkip)) return message
  return `${subject.trimEnd()} ${ciSkip.trim()}${end < 0 ? '' : message.slice(end)}`
}
