// After an edit the file is read again with the full parser: every other document, and every key of the
// workload outside its annotations, must read exactly as before, and the annotations as intended.
import { sameValues } from '../yaml/same-values.js'
import type { AnnotationChange } from './edit.js'
import { AnnotateError, parseDocuments } from './workloads.js'

export function verifyAnnotated(
  file: string,
  before: string,
  after: string,
  index: number,
  path: (string | number)[],
  changes: AnnotationChange[],
): void {
  const fail = (why: string): never => {
    throw new AnnotateError(`${file}: the edited file ${why}; nothing was written`, file)
  }
  const oldDocs = parseDocuments(before)
  const newDocs = parseDocuments(after)
  if (newDocs.some((doc) => doc.errors.length > 0)) fail('does not parse')
  if (newDocs.length !== oldDocs.length) fail('has a different number of documents')
  const warnings = (docs: typeof oldDocs) => docs.reduce((sum, doc) => sum + doc.warnings.length, 0)
  if (warnings(newDocs) > warnings(oldDocs)) fail('draws a YAML warning the original did not')
  oldDocs.forEach((oldDoc, i) => {
    const expected = oldDoc.toJS({ maxAliasCount: 1000 })
    if (i === index)
      applyExpected(
        path.reduce((node, key) => node[key], expected),
        changes,
      )
    if (!sameValues(newDocs[i]!.toJS({ maxAliasCount: 1000 }), expected)) {
      fail(i === index ? 'reads differently beyond the intended annotations' : `changes document ${i + 1}`)
    }
  })
}

function applyExpected(
  doc: { metadata: { annotations?: Record<string, string> | null } },
  changes: AnnotationChange[],
) {
  const annotations = { ...(doc.metadata.annotations ?? {}) }
  for (const change of changes) {
    if (change.after === undefined) delete annotations[change.key]
    else annotations[change.key] = change.after
  }
  if (Object.keys(annotations).length > 0) doc.metadata.annotations = annotations
  else if (doc.metadata.annotations !== null) delete doc.metadata.annotations
}
