// The commit message of `imagebot policy`: what was asked (automate, lock, …) on the subject, one line per
// annotation change, and the same Imagebot-Workload trailer as image updates so `git log --grep` finds both.
import { oneLine, WORKLOAD_TRAILER } from './data.js'

export interface AnnotationCommitChange {
  file: string
  key: string
  before?: string
  after?: string
}

/** `Policy of dev:deployment/api: automate, lock` with `- file: key: before → after` lines. */
export function policyCommitMessage(
  workload: string,
  actions: string[],
  changes: AnnotationCommitChange[],
): string {
  if (changes.length === 0) throw new Error('no changes to describe: a commit needs at least one change')
  const show = (value: string | undefined) => (value === undefined ? '(none)' : JSON.stringify(value))
  const lines = changes.map(
    (change) =>
      `- ${oneLine(change.file)}: ${oneLine(change.key)}: ${oneLine(show(change.before))} → ${oneLine(show(change.after))}`,
  )
  const subject = `Policy of ${oneLine(workload)}: ${actions.map(oneLine).join(', ')}`
  return `${subject}\n\n${lines.join('\n')}\n\n${WORKLOAD_TRAILER}: ${oneLine(workload)}\n`
}
