// Tokens → a tree of text, output actions, if / range / with blocks and variable declarations. Every
// construct outside the supported subset (define, template, block, break, continue, ...) is an error naming it.

import { lex, TemplateError, type Word } from './lex.js'

export type Arg =
  | { kind: 'field'; path: string[] }
  | { kind: 'var'; name: string; path: string[] }
  | { kind: 'literal'; value: unknown }
  | { kind: 'pipeline'; pipeline: Pipeline }
  | { kind: 'function'; name: string }

export interface Pipeline {
  /** `$x :=` or `$k, $v :=` (range); `=` assigns an existing variable. */
  declare: string[]
  assign: boolean
  commands: Arg[][]
}

export type Node = { kind: 'text'; text: string } | { kind: 'output'; pipeline: Pipeline } | Block

export interface Block {
  kind: 'if' | 'with' | 'range'
  pipeline: Pipeline
  body: Node[]
  otherwise: Node[]
}

const BLOCKS = new Set(['if', 'with', 'range'])
const UNSUPPORTED = new Set(['define', 'template', 'block', 'break', 'continue'])

export function parseTemplate(source: string): Node[] {
  const tokens = lex(source)
  let index = 0
  /** Nodes up to an `else` or `end` (returned as the stopper) or the end of input. */
  const sequence = (): { nodes: Node[]; stop?: 'else' | 'end'; rest?: Word[] } => {
    const nodes: Node[] = []
    while (index < tokens.length) {
      const token = tokens[index++]!
      if (token.kind === 'text') {
        nodes.push(token)
        continue
      }
      const [first, ...rest] = token.tokens
      if (first?.kind === 'ident' && (first.name === 'else' || first.name === 'end')) {
        return { nodes, stop: first.name, rest }
      }
      if (first?.kind === 'ident' && UNSUPPORTED.has(first.name)) {
        throw new TemplateError(`{{${first.name}}} is not supported`)
      }
      if (first?.kind === 'ident' && BLOCKS.has(first.name)) nodes.push(block(first.name as 'if', rest))
      else nodes.push({ kind: 'output', pipeline: pipeline(token.tokens) })
    }
    return { nodes }
  }
  const block = (kind: 'if' | 'with' | 'range', words: Word[]): Node => {
    const head = pipeline(words)
    const body = sequence()
    if (!body.stop) throw new TemplateError(`{{${kind}}} has no {{end}}`)
    let otherwise: Node[] = []
    if (body.stop === 'else') {
      const [next, ...rest] = body.rest ?? []
      if (next?.kind === 'ident' && (next.name === 'if' || next.name === 'with')) {
        // `{{else if x}}` is an if nested in the else branch that shares the outer {{end}}.
        otherwise = [block(next.name, rest)]
      } else {
        const tail = sequence()
        if (tail.stop !== 'end') throw new TemplateError(`{{${kind}}} has no {{end}} after {{else}}`)
        otherwise = tail.nodes
      }
    }
    return { kind, pipeline: head, body: body.nodes, otherwise }
  }
  const { nodes, stop } = sequence()
  if (stop) throw new TemplateError(`{{${stop}}} without a matching {{if}}, {{range}} or {{with}}`)
  return nodes
}

function pipeline(words: Word[]): Pipeline {
  const declared: string[] = []
  let assign = false
  let start = 0
  const operator = words.findIndex(
    (word) => word.kind === 'punct' && (word.value === ':=' || word.value === '='),
  )
  if (operator > 0) {
    for (const word of words.slice(0, operator)) {
      if (word.kind === 'var' && word.path.length === 0) declared.push(word.name)
      else if (!(word.kind === 'punct' && word.value === ','))
        throw new TemplateError('bad variable declaration')
    }
    assign = (words[operator] as { value: string }).value === '='
    start = operator + 1
  }
  const [commands, end] = commandsOf(words, start)
  if (end !== words.length) throw new TemplateError('unexpected ")"')
  if (commands.length === 0 || commands.some((command) => command.length === 0)) {
    throw new TemplateError('empty pipeline')
  }
  return { declare: declared, assign, commands }
}

function commandsOf(words: Word[], start: number): [Arg[][], number] {
  const commands: Arg[][] = [[]]
  let index = start
  while (index < words.length) {
    const word = words[index]!
    if (word.kind === 'punct' && word.value === ')') break
    index++
    const current = commands[commands.length - 1]!
    if (word.kind === 'punct' && word.value === '|') commands.push([])
    else if (word.kind === 'punct' && word.value === '(') {
      const [inner, end] = commandsOf(words, index)
      if (words[end]?.kind !== 'punct') throw new TemplateError('unclosed "("')
      current.push({ kind: 'pipeline', pipeline: { declare: [], assign: false, commands: inner } })
      index = end + 1
    } else if (word.kind === 'punct') throw new TemplateError(`unexpected "${word.value}"`)
    else if (word.kind === 'ident') current.push({ kind: 'function', name: word.name })
    else if (word.kind === 'field' || word.kind === 'var') current.push(word)
    else current.push({ kind: 'literal', value: word.kind === 'nil' ? null : word.value })
  }
  return [commands, index]
}
