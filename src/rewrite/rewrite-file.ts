// Byte-exact tag edits in one file: only the bytes of the changed scalars change, everything else
// (comments, quotes, indentation, flow style, CRLF, BOM, other documents) is kept as it was.

import {
  ImageRefError,
  isValidDigest,
  isValidTag,
  parseImageRef,
  withTag,
  writtenName,
} from '../image/reference.js'
import type { Problem } from '../problems.js'
import type { Change, FieldLocations, FileUpdate, ScalarLocation, Target } from '../types.js'
import { renderScalar, sourceOf } from './scalar.js'
import { type Splice, verifyRewrite } from './verify.js'

export interface TagEdit {
  target: Target
  newTag: string
  /** The chosen tag's digest; needed by setters that write a digest or pin one. */
  digest?: string
  /** The normalized policy (formatPolicySpec), for Change.policy. */
  policy: string
}

export interface FileRewrite extends FileUpdate {
  problems: Problem[]
}

interface Planned {
  splice: Splice
  change: Change
}

export function rewriteFile(file: string, text: string, edits: TagEdit[]): FileRewrite {
  const problems: Problem[] = []
  const planned: Planned[] = []
  for (const edit of edits) {
    const outcome = plan(file, text, edit)
    if (outcome && 'problem' in outcome) problems.push(outcome.problem)
    else if (outcome) planned.push(outcome)
  }
  const accepted = refuseOverlaps(file, planned, problems)
  if (accepted.length === 0) return { text, changes: [], problems }
  const splices = uniqueSplices(accepted)
  const after = applySplices(text, splices)
  const refused = verifyRewrite(file, text, after, splices)
  if (refused) return { text, changes: [], problems: [...problems, refused] }
  return { text: after, changes: accepted.map((entry) => entry.change), problems }
}

/** The splice and change for one edit; undefined when the tag is already in place. */
function plan(file: string, text: string, edit: TagEdit): Planned | { problem: Problem } | undefined {
  const { target, newTag } = edit
  const unsafe = (message: string) => ({ problem: editProblem('REWRITE_UNSAFE', target, message) })
  if (target.file !== file) return unsafe(`the edit belongs to ${target.file}`)
  if (!isValidTag(newTag)) {
    const shown = JSON.stringify(newTag.slice(0, 140))
    return {
      problem: editProblem('IMAGE_REF_INVALID', target, `new tag ${shown} is not a valid tag; refused`),
    }
  }
  const written = target.setter ? setterValue(edit) : splicedValue(edit)
  if ('unsafe' in written) return unsafe(written.unsafe)
  if ('invalid' in written) return { problem: editProblem('IMAGE_REF_INVALID', target, written.invalid) }
  const { field, location, next } = written
  const [start, end] = location.range
  if (text.slice(start, end) !== sourceOf(location.style, location.value)) {
    return unsafe(
      `the ${field} scalar is not where discovery found it (file changed since, or unusual escapes)`,
    )
  }
  if (next === location.value) return undefined
  const rendered = renderScalar(location, next)
  if ('error' in rendered) return unsafe(rendered.error)
  const splice: Splice = {
    doc: target.doc,
    path: location.path,
    range: location.range,
    oldValue: location.value,
    ...rendered,
  }
  if (location.tag !== undefined) splice.tag = location.tag
  const change: Change = {
    workload: target.workload,
    container: target.container,
    field,
    oldRef: target.current.written,
    newRef: newReference(edit),
    policy: edit.policy,
  }
  if (target.setter)
    Object.assign(change, { oldValue: location.value, newValue: next, setter: target.setter.name })
  return { splice, change }
}

type Written =
  | { field: keyof FieldLocations; location: ScalarLocation; next: string }
  | { unsafe: string }
  | { invalid: string }

/** Flux v1 style: the tag goes into the tag field, or replaces the tag of the reference written. */
function splicedValue({ target, newTag }: TagEdit): Written {
  const field = target.fields.tag ? 'tag' : target.fields.image ? 'image' : undefined
  const location = field && target.fields[field]
  if (!field || !location) return { unsafe: 'the target has neither a tag nor an image field' }
  try {
    return {
      field,
      location,
      next: field === 'tag' ? newTag : withTag(parseImageRef(location.value), newTag),
    }
  } catch (error) {
    if (!(error instanceof ImageRefError)) throw error
    return { invalid: error.message }
  }
}

/** A setter writes its part of the pick whole: the full reference, the name, the tag or the digest. */
function setterValue(edit: TagEdit): Written {
  const { target, newTag, digest } = edit
  const setter = target.setter!
  const location = target.fields[setter.field]
  if (!location) return { unsafe: `the target has no ${setter.field} field for its setter` }
  const needsDigest = setter.field === 'digest' || setter.pinDigest
  if (needsDigest && (digest === undefined || !isValidDigest(digest))) {
    return { unsafe: `no digest is known for tag ${newTag}, so ${setter.name} is not set` }
  }
  const next =
    setter.field === 'tag'
      ? newTag
      : setter.field === 'repository'
        ? writtenName(target.current)
        : setter.field === 'digest'
          ? digest!
          : newReference(edit)
  return { field: setter.field, location, next }
}

function newReference({ target, newTag, digest }: TagEdit): string {
  const pinned = target.setter?.pinDigest && digest !== undefined ? `@${digest}` : ''
  return withTag(target.current, newTag) + pinned
}

/** Two edits of the same bytes are fine when they write the same text; any other overlap is refused. */
function refuseOverlaps(file: string, planned: Planned[], problems: Problem[]): Planned[] {
  const sorted = [...planned].sort((a, b) => a.splice.range[0] - b.splice.range[0])
  const refused = new Set<Planned>()
  for (let index = 1; index < sorted.length; index++) {
    const previous = sorted[index - 1]!
    const current = sorted[index]!
    if (current.splice.range[0] >= previous.splice.range[1]) continue
    const same =
      current.splice.range[0] === previous.splice.range[0] &&
      current.splice.range[1] === previous.splice.range[1] &&
      current.splice.source === previous.splice.source
    if (same) continue
    refused.add(previous).add(current)
  }
  for (const entry of refused) {
    problems.push(
      editProblem('REWRITE_UNSAFE', { ...entry.change, file }, 'another edit overlaps these bytes; refused'),
    )
  }
  return sorted.filter((entry) => !refused.has(entry))
}

/** Splices sorted by offset and not overlapping; one pass, so large files with many edits stay linear. */
function applySplices(text: string, splices: Splice[]): string {
  const parts: string[] = []
  let from = 0
  for (const splice of splices) {
    parts.push(text.slice(from, splice.range[0]), splice.source)
    from = splice.range[1]
  }
  parts.push(text.slice(from))
  return parts.join('')
}

function uniqueSplices(accepted: Planned[]): Splice[] {
  const splices: Splice[] = []
  for (const { splice } of accepted) {
    const last = splices[splices.length - 1]
    if (!last || last.range[0] !== splice.range[0]) splices.push(splice)
  }
  return splices
}

function editProblem(
  code: Problem['code'],
  target: Pick<Target, 'file' | 'workload' | 'container'>,
  reason: string,
): Problem {
  const { file, workload, container } = target
  return {
    code,
    file,
    workload,
    container,
    message: `${file}: ${workload} container ${container}: ${reason}`,
  }
}
