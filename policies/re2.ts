// The one regular expression engine behind `regex:` (Flux v1) and `filterTags` (Flux v2): re2js, a
// port of RE2, so patterns mean what they meant in Go (`(?i)`, `(?P<name>…)`, `\z`, `[[:alpha:]]`)
// and every match runs in linear time: no annotation can stall a scan (ReDoS).
import { createRequire } from 'node:module'
import type { RE2JS } from 're2js'
import { PolicyError } from './policy.js'

/**
 * re2js is loaded on the first pattern compiled, not with the policies: it is 285 KB of JavaScript that
 * every command reading policies compiled at start while most repositories use no `regex:` filter
 * (importing `imagebot plan`'s bundled modules: 89 → 81 ms of CPU without it, fastest of 11, Node 20).
 * Its CommonJS build, so that compileRe2 stays synchronous; the same library as its ES module build.
 */
let engine: typeof RE2JS | undefined
function re2js(): typeof RE2JS {
  engine ??= (createRequire(import.meta.url)('re2js') as typeof import('re2js')).RE2JS
  return engine
}

/** A compiled pattern with the few operations policies need. */
export interface Re2Pattern {
  readonly source: string
  /** Unanchored search, as Go's MatchString. */
  test(text: string): boolean
  /** Unanchored search: the match and its groups (undefined where a group took no part), or null. */
  exec(text: string): (string | undefined)[] | null
  /** Group names and their numbers, in pattern order. */
  readonly names: readonly { name: string; index: number }[]
}

/**
 * Compiles Go RE2 syntax. Go (since 1.22) and re2js also take `(?<name>…)`, so the JavaScript way
 * of naming a group means the same thing; lookaround and backreferences have no linear-time
 * meaning and are refused with the engine's own words.
 */
export function compileRe2(pattern: string, shownAs: string, what = 'tag policy'): Re2Pattern {
  let compiled: RE2JS
  try {
    compiled = re2js().compile(pattern)
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw new PolicyError(shownAs, `not a valid RE2 (Go) regular expression (${detail})`, what)
  }
  const names = Object.entries(compiled.namedGroups())
    .map(([name, index]) => ({ name, index }))
    .sort((a, b) => a.index - b.index)
  return {
    source: pattern,
    names,
    test: (text) => compiled.test(text),
    exec: (text) => compiled.exec(text) as (string | undefined)[] | null,
  }
}

// A group name in a template: letters, digits and underscores, as Go's regexp.Expand reads it.
const NAME = /^[A-Za-z0-9_]+/

/**
 * Go's `Regexp.Expand`: `$1`, `$name` and `${name}` become the group's text (empty when it did not
 * take part or does not exist), `$$` is `$`, and a `$` not followed by a name stays as written.
 * `$name` takes the longest run of name characters, so `$1x` means `${1x}`, as in Go.
 */
export function expandTemplate(
  template: string,
  pattern: Re2Pattern,
  match: readonly (string | undefined)[],
) {
  let out = ''
  let rest = template
  for (let at = rest.indexOf('$'); at >= 0; at = rest.indexOf('$')) {
    out += rest.slice(0, at)
    rest = rest.slice(at + 1)
    if (rest.startsWith('$')) {
      out += '$'
      rest = rest.slice(1)
      continue
    }
    const braced = rest.startsWith('{')
    const name = NAME.exec(braced ? rest.slice(1) : rest)?.[0]
    const closed = !braced || rest[1 + (name?.length ?? 0)] === '}'
    if (name === undefined || !closed) {
      out += '$'
      continue
    }
    rest = rest.slice(name.length + (braced ? 2 : 0))
    out += groupText(name, pattern, match) ?? ''
  }
  return out + rest
}

function groupText(name: string, pattern: Re2Pattern, match: readonly (string | undefined)[]) {
  // Go reads a group number only without leading zeros: `$01` names a group called "01".
  if (/^(0|[1-9]\d{0,7})$/.test(name)) return match[Number(name)]
  const index = pattern.names.find((group) => group.name === name)?.index
  return index === undefined ? undefined : match[index]
}
