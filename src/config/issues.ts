// Config errors name the file, the key path and what was expected, one line per issue, and never echo a
// secret. The CLI turns a ConfigError into exit code 2.
import type { z } from 'zod'
import type { Problem } from '../problems.js'

export interface ConfigIssue {
  file: string
  /** Key path such as `registries[1].rateLimit.rps`; empty for the file as a whole. */
  path: string
  message: string
  /** 1-based position, for YAML syntax errors. */
  line?: number
  col?: number
}

export class ConfigError extends Error {
  readonly code = 'CONFIG'

  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'))
    this.name = 'ConfigError'
  }

  toProblems(): Problem[] {
    return this.issues.map((issue) => ({ code: 'CONFIG', message: formatIssue(issue), file: issue.file }))
  }
}

export function formatIssue(issue: ConfigIssue): string {
  const position = issue.line !== undefined ? `:${issue.line}:${issue.col ?? 1}` : ''
  const path = issue.path ? ` ${issue.path}:` : ''
  return `${issue.file}${position}:${path} ${issue.message}`
}

/** `['registries', 1, 'rateLimit', 'rps']` → `registries[1].rateLimit.rps`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => {
      if (typeof part === 'number') return `[${part}]`
      const key = String(part)
      const safe = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key)
      return index === 0 ? safe : `.${safe}`
    })
    .join('')
}

/** Messages for zod's built-in checks, used where a field does not bring its own. */
export const defaultMessages: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `expected ${describeType(issue.expected)}`
    case 'too_small':
      return issue.origin === 'array'
        ? `expected at least ${issue.minimum} item(s)`
        : `expected a value ${issue.inclusive ? '≥' : '>'} ${issue.minimum}`
    case 'too_big':
      return `expected a value ${issue.inclusive ? '≤' : '<'} ${issue.maximum}`
    case 'invalid_value':
      return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`
    case 'invalid_union':
      return 'does not match any allowed form'
    default:
      return undefined
  }
}

function describeType(expected: string): string {
  const names: Record<string, string> = {
    object: 'a mapping (key: value)',
    array: 'a list',
    boolean: 'true or false',
    number: 'a number',
    string: 'a string',
  }
  return names[expected] ?? expected
}

/** One issue per zod issue, and one per unknown key so each line names the key at fault. */
export function fromZodIssues(file: string, issues: z.core.$ZodIssue[], input: unknown): ConfigIssue[] {
  return issues.flatMap((issue): ConfigIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        file,
        path: formatPath([...issue.path, key]),
        message: issue.message,
      }))
    }
    const value = valueAt(input, issue.path)
    const got = showsValue(issue, value) ? `, got ${preview(issue.path, value)}` : ''
    return [{ file, path: formatPath(issue.path), message: `${issue.message}${got}` }]
  })
}

/** Scalars help the reader find the line; a whole mapping only helps when its type was the problem. */
function showsValue(issue: z.core.$ZodIssue, value: unknown): boolean {
  if (value === undefined) return false
  if (issue.code === 'custom' && issue.params?.['hideValue']) return false
  return issue.code === 'invalid_type' || value === null || typeof value !== 'object'
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<PropertyKey, unknown>)[part]
  }
  return current
}

const SECRET_KEYS = new Set(['password', 'secret', 'identityToken', 'auth', 'signingKey'])

/** The offending value, short, with secrets and URL credentials hidden. */
function preview(path: readonly PropertyKey[], value: unknown): string {
  if (path.some((part) => SECRET_KEYS.has(String(part)))) return '(value hidden)'
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'a list' : 'a mapping'
  let text = typeof value === 'string' ? value.replace(/\/\/[^/@\s]*@/, '//***@') : String(value)
  if (text.length > 60) text = `${text.slice(0, 57)}...`
  return typeof value === 'string' ? JSON.stringify(text) : text
}
