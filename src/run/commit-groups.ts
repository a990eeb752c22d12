// One plan → one UpdateResult per owner, in commit order. An owner is the ImageUpdateAutomation a marker
// target belongs to (`namespace/name`, see flux2/objects/coverage.ts), or '' for imagebot.yaml's own
// targets (Flux v1 annotations, markers in a tree without automations). Each owner's commit carries its
// author and message; owners outside the wanted list (another lane's) are left out.

import { rewriteFile, type TagEdit } from '../rewrite/index.js'
import type { Target, UpdateResult } from '../types.js'
import type { Plan } from './plan.js'

/** imagebot.yaml's own targets. */
export const CONFIG_OWNER = ''

export function ownerOf(target: Target): string {
  return target.setter?.automation ?? CONFIG_OWNER
}

export interface CommitGroup {
  owner: string
  result: UpdateResult
}

/** The non-empty groups of `owners`, in that order. */
export function commitGroups(
  plan: Pick<Plan, 'result' | 'edits' | 'originals'>,
  owners: string[],
): CommitGroup[] {
  const wanted = new Set(owners)
  const editsByFile = new Map<string, TagEdit[]>()
  for (const edit of plan.edits) {
    if (!plan.result.files.has(edit.target.file)) continue
    const list = editsByFile.get(edit.target.file) ?? []
    list.push(edit)
    editsByFile.set(edit.target.file, list)
  }
  const groups = new Map(owners.map((owner) => [owner, { files: new Map() } as UpdateResult]))
  for (const [file, update] of plan.result.files) {
    const edits = editsByFile.get(file) ?? []
    const present = new Set(edits.map((edit) => ownerOf(edit.target)))
    const inOrder = owners.filter((owner) => present.has(owner))
    if (inOrder.length === 0) continue
    if (present.size === 1) {
      groups.get(inOrder[0]!)!.files.set(file, update)
      continue
    }
    // Several owners edit this file (Flux v1 annotations beside markers, or two lanes): each commit holds
    // the original rewritten with its own edits and those of the commits before it, so every commit is a
    // byte-exact rewrite and the last one of the lane holds all of the lane's edits.
    const original = plan.originals.get(file) ?? ''
    const done: TagEdit[] = []
    for (const owner of inOrder) {
      const own = edits.filter((edit) => ownerOf(edit.target) === owner)
      done.push(...own)
      const { changes } = rewriteFile(file, original, own)
      if (changes.length === 0) continue
      const cumulative = done.length === edits.length ? update.text : rewriteFile(file, original, done).text
      groups.get(owner)!.files.set(file, { text: cumulative, changes })
    }
  }
  return owners
    .map((owner) => ({ owner, result: groups.get(owner)! }))
    .filter((group) => wanted.has(group.owner) && group.result.files.size > 0)
}
