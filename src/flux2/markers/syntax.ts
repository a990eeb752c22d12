// Setter marker syntax (Flux v2 image-automation-controller): a line comment after a scalar,
// `# {"$imagepolicy": "<namespace>:<name>"}` for the full reference, with `:tag`, `:name` or `:digest`
// to set only that part. The comment is JSON, as Flux reads it.

export type MarkerField = 'image' | 'name' | 'tag' | 'digest'

export interface MarkerComment {
  /** Offset of the `#`. */
  offset: number
  /** The comment as written, without `#`, trimmed. */
  text: string
}

export interface ParsedMarker {
  namespace: string
  name: string
  field: MarkerField
  /** `ns:name` or `ns:name:field` as written in the marker. */
  setter: string
}

export const MARKER_TOKEN = '$imagepolicy'
const COMMENT = /#[ \t]*(\{[^\n\r]*\$imagepolicy[^\n\r]*\})[ \t]*\r?$/gm
const SUFFIXES: Record<string, MarkerField> = { tag: 'tag', name: 'name', digest: 'digest' }

/** Every marker-looking line comment of a file, in file order. */
export function markerComments(text: string): MarkerComment[] {
  const found: MarkerComment[] = []
  for (const match of text.matchAll(COMMENT)) found.push({ offset: match.index, text: match[1]!.trim() })
  return found
}

/** The marker's policy and field, or why it cannot be read. */
export function parseMarker(comment: string): ParsedMarker | { error: string } {
  let value: unknown
  try {
    value = JSON.parse(comment)
  } catch {
    return { error: 'is not valid JSON; write # {"$imagepolicy": "<namespace>:<name>"}' }
  }
  const setter = (value as Record<string, unknown> | null)?.[MARKER_TOKEN]
  if (typeof setter !== 'string') return { error: 'has no string "$imagepolicy" value' }
  const parts = setter.split(':')
  const [namespace, name, suffix] = parts
  if (parts.length < 2 || parts.length > 3 || !namespace || !name) {
    return { error: `names "${setter}"; write "<namespace>:<name>" with an optional :tag, :name or :digest` }
  }
  if (suffix === undefined) return { namespace, name, field: 'image', setter }
  const field = SUFFIXES[suffix]
  if (!field) return { error: `has the suffix :${suffix}; only :tag, :name and :digest exist` }
  return { namespace, name, field, setter }
}

/** 1-based line of an offset. */
export function lineOf(text: string, offset: number): number {
  let line = 1
  for (let index = text.indexOf('\n'); index >= 0 && index < offset; index = text.indexOf('\n', index + 1))
    line++
  return line
}
