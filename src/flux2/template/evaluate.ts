// Runs a parsed template on data: `.` is the current value, `$` the root, variables are scoped to their
// block as in Go. A missing function, a field a struct does not have, or calling a non-function is an error.

import { FUNCTIONS } from './functions.js'
import { TemplateError } from './lex.js'
import { type Arg, type Block, type Node, type Pipeline, parseTemplate } from './parse.js'
import { entries, field, show, truthy } from './values.js'

type Scope = Map<string, unknown>[]

export function render(source: string, data: unknown): string {
  const nodes = parseTemplate(source)
  checkFunctions(nodes)
  const out: string[] = []
  run(nodes, data, [new Map([['', data]])], out)
  return out.join('')
}

/** Parses and names the first construct or function outside the supported subset. */
export function checkFunctions(nodes: Node[]): void {
  const visitPipeline = (pipeline: Pipeline) => {
    for (const command of pipeline.commands) {
      for (const arg of command) {
        if (arg.kind === 'function' && !Object.hasOwn(FUNCTIONS, arg.name)) {
          throw new TemplateError(`function "${arg.name}" is not supported`)
        }
        if (arg.kind === 'pipeline') visitPipeline(arg.pipeline)
      }
    }
  }
  for (const node of nodes) {
    if (node.kind === 'text') continue
    visitPipeline(node.pipeline)
    if (node.kind !== 'output') {
      checkFunctions(node.body)
      checkFunctions(node.otherwise)
    }
  }
}

function run(nodes: Node[], dot: unknown, scope: Scope, out: string[]): void {
  for (const node of nodes) {
    if (node.kind === 'text') out.push(node.text)
    else if (node.kind === 'output') {
      const value = pipe(node.pipeline, dot, scope)
      if (node.pipeline.declare.length === 0) out.push(show(value))
    } else if (node.kind === 'if' || node.kind === 'with') {
      const inner: Scope = [...scope, new Map()]
      const value = pipe(node.pipeline, dot, inner)
      if (truthy(value)) run(node.body, node.kind === 'with' ? value : dot, inner, out)
      else run(node.otherwise, dot, [...scope, new Map()], out)
    } else {
      rangeOver(node, dot, scope, out)
    }
  }
}

function rangeOver(node: Block, dot: unknown, scope: Scope, out: string[]): void {
  const { declare } = node.pipeline
  const value = pipe({ ...node.pipeline, declare: [] }, dot, scope)
  const items = entries(value)
  if (items.length === 0) {
    run(node.otherwise, dot, [...scope, new Map()], out)
    return
  }
  for (const [key, item] of items) {
    const frame = new Map<string, unknown>()
    if (declare.length === 1) frame.set(declare[0]!, item)
    if (declare.length === 2) frame.set(declare[0]!, key).set(declare[1]!, item)
    run(node.body, item, [...scope, frame], out)
  }
}

function pipe(pipeline: Pipeline, dot: unknown, scope: Scope): unknown {
  let value: unknown
  pipeline.commands.forEach((command, index) => {
    value = call(command, dot, scope, index === 0 ? [] : [value])
  })
  if (pipeline.declare.length > 0) {
    const name = pipeline.declare[0]!
    const frame = pipeline.assign
      ? scope.findLast((candidate) => candidate.has(name))
      : scope[scope.length - 1]
    if (!frame) throw new TemplateError(`undefined variable $${name}`)
    frame.set(name, value)
  }
  return value
}

function call(command: Arg[], dot: unknown, scope: Scope, piped: unknown[]): unknown {
  const [head, ...rest] = command
  if (head?.kind === 'function') {
    const args = [...rest.map((arg) => evaluate(arg, dot, scope)), ...piped]
    return FUNCTIONS[head.name]!(...args)
  }
  if (command.length > 1 || piped.length > 0) {
    throw new TemplateError(`can't give arguments to a value that is not a function`)
  }
  return evaluate(head!, dot, scope)
}

function evaluate(arg: Arg, dot: unknown, scope: Scope): unknown {
  switch (arg.kind) {
    case 'literal':
      return arg.value
    case 'pipeline':
      return pipe(arg.pipeline, dot, scope)
    case 'function':
      return FUNCTIONS[arg.name]!()
    case 'field':
      return arg.path.reduce(field, dot)
    case 'var': {
      const frame = scope.findLast((candidate) => candidate.has(arg.name))
      if (!frame) throw new TemplateError(`undefined variable $${arg.name}`)
      return arg.path.reduce(field, frame.get(arg.name))
    }
  }
}
