// Building blocks for the config schema: each field kind carries the message a user should read when the
// value is wrong, so schema.ts stays a plain list of keys.
import * as z from 'zod'
import { closestName } from '../suggest.js'
import { DURATION_PATTERN, parseDuration } from './duration.js'
import { hasUrlCredentials } from './url-credentials.js'

/** A mapping that rejects unknown keys and says which keys it allows (and the likely intended one). */
export function strict<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape)
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') return unknownKeyMessage(issue.keys, allowed)
      if (issue.code === 'invalid_type') return expecting('expected a mapping (key: value)')(issue)
      return undefined
    },
  })
}

function unknownKeyMessage(keys: string[], allowed: string[]): string {
  // Typos such as `brnach` or `pushbranch` are within two edits of the intended key.
  const hint = keys.length === 1 ? closestName(keys[0]!, allowed) : undefined
  const suggestion = hint ? ` (did you mean "${hint}"?)` : ''
  return `unknown key${suggestion}; allowed keys: ${allowed.join(', ')}`
}

/** A field's own message, except that a missing required key says so. */
export function expecting(message: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : message)
}

const DURATION_MESSAGE = 'expected a duration such as 500ms, 30s, 5m, 1h or 1h30m (or 0)'

/** A duration string in the file, milliseconds in the loaded config. */
export function duration(description: string) {
  return z
    .union([z.literal(0), z.string().regex(DURATION_PATTERN, { error: DURATION_MESSAGE })], {
      error: expecting(DURATION_MESSAGE),
    })
    .transform((value) => parseDuration(String(value)) as number)
    .meta({ description: `${description} A duration: 500ms, 30s, 5m, 1h, 1h30m or 0.` })
}

export function positiveNumber() {
  const error = expecting('expected a positive number')
  return z.number({ error }).positive({ error })
}

export function positiveInteger() {
  const error = expecting('expected a positive whole number')
  return z.number({ error }).int({ error }).positive({ error })
}

export function text() {
  return z.string({ error: expecting('expected a string') }).min(1, { error: 'expected a non-empty string' })
}

/**
 * Credentials go in `auth` (and ${VAR}), never in a URL that logs and error messages may show. Where the
 * caller moves them out (git remotes, see url-credentials.ts), `credentials: 'moved'` lets them through.
 */
export function httpUrl(what: string, credentials: 'rejected' | 'moved' = 'rejected') {
  const url = text().refine(isHttpUrl, { error: `expected an http:// or https:// URL (${what})` })
  if (credentials === 'moved') return url
  return url.refine((value) => !hasUrlCredentials(value), { error: 'must not contain credentials; use auth' })
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
  } catch {
    return false
  }
}

export function stringList(what: string) {
  return z
    .array(text(), { error: `expected a list of ${what}` })
    .min(1, { error: `expected at least one ${what}; leave the key out to mean all` })
}
