// Writing a new value into an existing scalar's bytes without changing what kind of value it is.
//
// Quoting rules (a string stays a string):
// - Quoted stays quoted with the same quote character.
// - Plain stays plain when the new text still reads as a string under YAML 1.2 AND 1.1 (Helm and
//   Kubernetes use a YAML 1.1 reader: `yes`, `0777`, `2024-01-02`, `1_0` are not strings there).
// - Otherwise it is double-quoted: `tag: dev-abc` → `tag: "1.10"`, never the float 1.1.
// - A plain number stays a plain number only when the old value was one and the new one is a
//   canonical integer below 1,000,000 (`tag: 150` → `tag: 151`). Helm reads values as float64 and
//   its templates print integers below 1e6 digit for digit, so the chart renders the same tag as
//   before; larger integers print in exponent form (1e+06) and decimals lose trailing zeros
//   (1.10 → 1.1), so those are quoted: a string renders exactly.
// - An explicit tag stays and the new value must be one it can hold: `!!str` takes any tag (written
//   as a string would be); `!!int` and `!!float` take only a canonical integer below 1,000,000 (the
//   rule above), anything else is refused, never `!!int v1.2.4`. Other tags (`!!binary`, `!custom`)
//   are refused: imagebot cannot know what their reader makes of a new value.

import { Document } from 'yaml'
import type { ScalarLocation } from '../types.js'

export interface Rendered {
  /** The scalar's new source text, quotes included. */
  source: string
  /** What the new source must read back as. */
  value: string | number
}

const NON_STRING_TAGS = new Set(['tag:yaml.org,2002:null', 'tag:yaml.org,2002:bool'])
const NUMBER_TAGS = new Set(['tag:yaml.org,2002:int', 'tag:yaml.org,2002:float'])

/** The implicit-type patterns of a schema version, for plain scalars that do not read as strings. */
function implicitPatterns(version: '1.1' | '1.2', tags: Set<string>): RegExp[] {
  const schemaTags = new Document(null, { version }).schema.tags as { tag: string; test?: RegExp }[]
  return schemaTags.flatMap((tag) => (tag.test && tags.has(tag.tag) ? [tag.test] : []))
}

const NOT_STRING_1_2 = implicitPatterns('1.2', new Set([...NON_STRING_TAGS, ...NUMBER_TAGS]))
const NOT_STRING_1_1 = implicitPatterns(
  '1.1',
  new Set([...NON_STRING_TAGS, ...NUMBER_TAGS, 'tag:yaml.org,2002:timestamp']),
)
const NUMBER_1_2 = implicitPatterns('1.2', NUMBER_TAGS)
/** Characters that never need quotes in a plain scalar; tags and references use nothing else. */
const PLAIN_SAFE = /^\w[\w./@+:-]*$/
const SMALL_INTEGER = /^(?:0|[1-9][0-9]{0,5})$/
const STR_TAG = 'tag:yaml.org,2002:str'
const NUMBER_TAG_NAMES: Record<string, string> = {
  'tag:yaml.org,2002:int': '!!int',
  'tag:yaml.org,2002:float': '!!float',
}

export function readsAsString(plain: string): boolean {
  return !NOT_STRING_1_2.some((re) => re.test(plain)) && !NOT_STRING_1_1.some((re) => re.test(plain))
}

export function isPlainNumber(location: ScalarLocation): boolean {
  if (location.tag !== undefined) return location.tag in NUMBER_TAG_NAMES
  return location.style === 'PLAIN' && NUMBER_1_2.some((re) => re.test(location.value))
}

/** The source text a scalar of this style holds for `value`, written the plain way. */
export function sourceOf(style: string, value: string): string {
  if (style === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`
  if (style === 'QUOTE_DOUBLE') return doubleQuoted(value)
  return value
}

export function renderScalar(old: ScalarLocation, next: string): Rendered | { error: string } {
  if (old.tag !== undefined && old.tag !== STR_TAG) return renderTagged(old, old.tag, next)
  switch (old.style) {
    case 'QUOTE_SINGLE':
    case 'QUOTE_DOUBLE':
      return { source: sourceOf(old.style, next), value: next }
    case 'PLAIN':
      if (old.tag === undefined && isPlainNumber(old) && SMALL_INTEGER.test(next))
        return { source: next, value: Number(next) }
      if (PLAIN_SAFE.test(next) && !next.endsWith(':') && readsAsString(next))
        return { source: next, value: next }
      return { source: doubleQuoted(next), value: next }
    default:
      return { error: `a ${old.style} scalar cannot be edited in place` }
  }
}

/** A scalar with an explicit number tag (or another non-string tag) takes only what that tag holds. */
function renderTagged(old: ScalarLocation, tag: string, next: string): Rendered | { error: string } {
  const name = NUMBER_TAG_NAMES[tag]
  if (name === undefined)
    return { error: `the value has the explicit tag ${tag}, which imagebot does not write` }
  if (old.style === 'PLAIN' && SMALL_INTEGER.test(next)) return { source: next, value: Number(next) }
  return {
    error: `the value is marked ${name} and cannot hold "${next}"; remove ${name} (or make it !!str) to let imagebot write it`,
  }
}

function doubleQuoted(value: string): string {
  const escaped = value.replace(/[\\"\u0000-\u001f\u007f]/g, (char) =>
    char === '\\' || char === '"' ? `\\${char}` : `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`,
  )
  return `"${escaped}"`
}
