// The functions a messageTemplate may call: Go's builtins that make sense in a commit message and the
// common Sprig string functions. Any other name is an error naming it, found when the template is checked.

import { TemplateError } from './lex.js'
import { show, truthy } from './values.js'

type Fn = (...args: unknown[]) => unknown

const str = (value: unknown) => show(value)
const int = (value: unknown) => {
  const number = Number(value)
  if (!Number.isInteger(number)) throw new TemplateError(`expected an integer, got ${show(value)}`)
  return number
}
const list = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value instanceof Map ? [...value.values()] : []

/** fmt.Sprint: spaces between operands when neither side is a string. */
function sprint(args: unknown[]): string {
  let out = ''
  args.forEach((arg, index) => {
    if (index > 0 && typeof arg !== 'string' && typeof args[index - 1] !== 'string') out += ' '
    out += show(arg)
  })
  return out
}

/** fmt.Sprintf for the verbs messages use: %s %v %d %q %x %%, with width and `-`. */
function sprintf(format: unknown, ...args: unknown[]): string {
  let next = 0
  return String(format).replace(
    /%([-0 ]?)(\d*)([svdqxtT%])/g,
    (_, flag: string, width: string, verb: string) => {
      if (verb === '%') return '%'
      if (next >= args.length) return `%!${verb}(MISSING)`
      const arg = args[next++]
      let text =
        verb === 'q'
          ? JSON.stringify(show(arg))
          : verb === 'd'
            ? String(int(arg))
            : verb === 'x'
              ? typeof arg === 'number'
                ? arg.toString(16)
                : Buffer.from(show(arg)).toString('hex')
              : verb === 'T'
                ? typeof arg
                : show(arg)
      const pad = Number(width || 0)
      if (text.length < pad)
        text = flag === '-' ? text.padEnd(pad) : text.padStart(pad, flag === '0' ? '0' : ' ')
      return text
    },
  )
}

const indent = (width: unknown, text: unknown) => {
  const pad = ' '.repeat(int(width))
  return pad + str(text).replace(/\n/g, `\n${pad}`)
}

export const FUNCTIONS: Record<string, Fn> = {
  // Go builtins
  print: (...args) => sprint(args),
  println: (...args) => `${args.map(show).join(' ')}\n`,
  printf: (format, ...args) => sprintf(format, ...args),
  len: (value) =>
    typeof value === 'string' ? value.length : value instanceof Map ? value.size : list(value).length,
  index: (value, ...keys) =>
    keys.reduce((acc, key) => (acc instanceof Map ? acc.get(key) : list(acc)[int(key)]), value),
  not: (value) => !truthy(value),
  and: (...args) => args.find((arg) => !truthy(arg)) ?? args[args.length - 1],
  or: (...args) => args.find((arg) => truthy(arg)) ?? args[args.length - 1],
  eq: (a, ...rest) => rest.some((b) => a === b),
  ne: (a, b) => a !== b,
  lt: (a, b) => (a as number) < (b as number),
  le: (a, b) => (a as number) <= (b as number),
  gt: (a, b) => (a as number) > (b as number),
  ge: (a, b) => (a as number) >= (b as number),
  // Sprig string functions
  upper: (s) => str(s).toUpperCase(),
  lower: (s) => str(s).toLowerCase(),
  title: (s) => str(s).replace(/\b\w/g, (c) => c.toUpperCase()),
  trim: (s) => str(s).trim(),
  trimAll: (cut, s) =>
    str(s).replace(new RegExp(`^[${escapeClass(str(cut))}]+|[${escapeClass(str(cut))}]+$`, 'g'), ''),
  trimPrefix: (prefix, s) => (str(s).startsWith(str(prefix)) ? str(s).slice(str(prefix).length) : str(s)),
  trimSuffix: (suffix, s) =>
    str(suffix) !== '' && str(s).endsWith(str(suffix)) ? str(s).slice(0, -str(suffix).length) : str(s),
  trunc: (n, s) => (int(n) >= 0 ? str(s).slice(0, int(n)) : str(s).slice(int(n))),
  replace: (old, replacement, s) => str(s).split(str(old)).join(str(replacement)),
  contains: (sub, s) => str(s).includes(str(sub)),
  hasPrefix: (prefix, s) => str(s).startsWith(str(prefix)),
  hasSuffix: (suffix, s) => str(s).endsWith(str(suffix)),
  repeat: (n, s) => str(s).repeat(int(n)),
  nospace: (s) => str(s).replace(/\s/g, ''),
  quote: (...args) => args.map((arg) => JSON.stringify(str(arg))).join(' '),
  squote: (...args) => args.map((arg) => `'${str(arg)}'`).join(' '),
  cat: (...args) =>
    args
      .filter((arg) => arg !== null && arg !== undefined)
      .map(show)
      .join(' '),
  indent,
  nindent: (width, text) => `\n${indent(width, text)}`,
  substr: (start, end, s) => str(s).slice(int(start), int(end) < 0 ? undefined : int(end)),
  join: (sep, values) => list(values).map(show).join(str(sep)),
  splitList: (sep, s) => str(s).split(str(sep)),
  first: (values) => list(values)[0],
  last: (values) => list(values).at(-1),
  default: (fallback, value) => (truthy(value) ? value : fallback),
  empty: (value) => !truthy(value),
  toString: (value: unknown) => show(value),
}

function escapeClass(chars: string): string {
  return chars.replace(/[\\\]^-]/g, '\\$&')
}
