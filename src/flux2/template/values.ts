// Go values as the evaluator sees them: structs (named fields, unknown ones are errors), maps (JS Maps,
// ranged in sorted key order as Go does), slices (arrays), and scalars; printing follows fmt's %v.

import { TemplateError } from './lex.js'

const GO_TYPE = Symbol('goType')

export type Struct = { [GO_TYPE]: string; [field: string]: unknown }

/** A Go struct value; `print` shows it as `text` when given (a String method), else as `{field ...}`. */
export function struct(type: string, fields: Record<string, unknown>, text?: string): Struct {
  const value = { ...fields, [GO_TYPE]: type } as Struct
  if (text !== undefined) Object.defineProperty(value, 'toString', { value: () => text, enumerable: false })
  return value
}

function isStruct(value: unknown): value is Struct {
  return value !== null && typeof value === 'object' && GO_TYPE in value
}

export function field(value: unknown, name: string): unknown {
  if (isStruct(value)) {
    if (!Object.hasOwn(value, name))
      throw new TemplateError(`can't evaluate field ${name} in type ${value[GO_TYPE]}`)
    return value[name]
  }
  if (value instanceof Map) return value.get(name)
  if (value === null || value === undefined) throw new TemplateError(`nil pointer evaluating .${name}`)
  throw new TemplateError(`can't evaluate field ${name} in a ${goKind(value)}`)
}

function goKind(value: unknown): string {
  return Array.isArray(value) ? 'slice' : typeof value
}

export function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false
  if (Array.isArray(value)) return value.length > 0
  if (value instanceof Map) return value.size > 0
  return true
}

/** Entries to range over: slices by index, maps by sorted key. */
export function entries(value: unknown): [unknown, unknown][] {
  if (value === null || value === undefined) return []
  if (Array.isArray(value)) return value.map((item, index) => [index, item])
  if (value instanceof Map) return [...value.entries()].sort(([a], [b]) => compareKeys(a, b))
  if (typeof value === 'number' && Number.isInteger(value))
    return Array.from({ length: value }, (_, i) => [i, i])
  throw new TemplateError(`range can't iterate over ${show(value)}`)
}

function compareKeys(a: unknown, b: unknown): number {
  const left = show(a)
  const right = show(b)
  return left < right ? -1 : left > right ? 1 : 0
}

/** fmt's %v. */
export function show(value: unknown): string {
  if (value === undefined) return '<no value>'
  if (value === null) return '<nil>'
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return `[${value.map(show).join(' ')}]`
  if (value instanceof Map) return `map[${[...value].map(([k, v]) => `${show(k)}:${show(v)}`).join(' ')}]`
  if (isStruct(value)) {
    if (Object.hasOwn(value, 'toString') || value.toString !== Object.prototype.toString) return String(value)
    return `{${Object.values(value).map(show).join(' ')}}`
  }
  return String(value)
}
