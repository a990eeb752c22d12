// Go text/template, the subset Flux's messageTemplate documentation and tests use. Written here because no
// maintained npm package implements it: @ctrl/golang-template (the closest) has no variables, no
// `range $k, $v :=` and no printf, which Flux's own examples need, and the Go-binary wrappers need Go.
// This file splits a template into text and action tokens, applying `{{-` / `-}}` trimming.

export class TemplateError extends Error {
  constructor(message: string) {
    super(`messageTemplate: ${message}`)
    this.name = 'TemplateError'
  }
}

export type Token = { kind: 'text'; text: string } | { kind: 'action'; tokens: Word[]; at: number }

export type Word =
  | { kind: 'field'; path: string[] } // `.` is path []
  | { kind: 'var'; name: string; path: string[] } // `$` is name ''
  | { kind: 'ident'; name: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'nil' }
  | { kind: 'punct'; value: '(' | ')' | '|' | ':=' | '=' | ',' }

const WORD =
  /\s*(?:(\.[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*|\.)|(\$\w*)((?:\.[A-Za-z_]\w*)*)|([A-Za-z_]\w*)|("(?:[^"\\\n]|\\.)*")|(`[^`]*`)|(-?\d+(?:\.\d+)?)|(:=|[()|=,]))/y

export function lex(source: string): Token[] {
  const tokens: Token[] = []
  let at = 0
  while (at < source.length) {
    const open = source.indexOf('{{', at)
    if (open < 0) {
      tokens.push({ kind: 'text', text: source.slice(at) })
      break
    }
    let text = source.slice(at, open)
    const trimLeft = /^\{\{-\s/.test(source.slice(open, open + 4))
    if (trimLeft) text = text.trimEnd()
    if (text) tokens.push({ kind: 'text', text })
    const close = findClose(source, open + 2)
    let inner = source.slice(open + 2, close)
    if (trimLeft) inner = inner.slice(1)
    const trimRight = /\s-$/.test(inner)
    if (trimRight) inner = inner.slice(0, -1)
    at = close + 2
    if (trimRight) while (at < source.length && /\s/.test(source[at]!)) at++
    if (/^\s*\/\*[\s\S]*\*\/\s*$/.test(inner)) continue
    tokens.push({ kind: 'action', tokens: words(inner, open), at: open })
  }
  return tokens
}

function findClose(source: string, from: number): number {
  let quote: string | undefined
  for (let index = from; index < source.length - 1; index++) {
    const char = source[index]!
    if (quote) {
      if (char === '\\' && quote === '"') index++
      else if (char === quote) quote = undefined
    } else if (char === '"' || char === '`') quote = char
    else if (char === '}' && source[index + 1] === '}') return index
  }
  throw new TemplateError(`unclosed action starting at offset ${from - 2}`)
}

function words(inner: string, at: number): Word[] {
  const found: Word[] = []
  WORD.lastIndex = 0
  let position = 0
  while (position < inner.length) {
    if (/^\s*$/.test(inner.slice(position))) break
    WORD.lastIndex = position
    const match = WORD.exec(inner)
    if (!match) {
      const rest = inner.slice(position).trim()
      throw new TemplateError(`unsupported syntax "${rest.slice(0, 20)}" in the action at offset ${at}`)
    }
    position = WORD.lastIndex
    const [, field, variable, varPath, ident, quoted, raw, number, punct] = match
    if (field !== undefined)
      found.push({ kind: 'field', path: field === '.' ? [] : field.slice(1).split('.') })
    else if (variable !== undefined)
      found.push({ kind: 'var', name: variable.slice(1), path: varPath ? varPath.slice(1).split('.') : [] })
    else if (ident === 'true' || ident === 'false') found.push({ kind: 'bool', value: ident === 'true' })
    else if (ident === 'nil') found.push({ kind: 'nil' })
    else if (ident !== undefined) found.push({ kind: 'ident', name: ident })
    else if (quoted !== undefined) found.push({ kind: 'string', value: JSON.parse(quoted) as string })
    else if (raw !== undefined) found.push({ kind: 'string', value: raw.slice(1, -1) })
    else if (number !== undefined) found.push({ kind: 'number', value: Number(number) })
    else found.push({ kind: 'punct', value: punct as '(' })
  }
  return found
}
