// WWW-Authenticate parsing (RFC 7235 auth-params) for the two schemes registries use.

export type Challenge =
  | { scheme: 'bearer'; realm: string; service?: string; scope?: string; error?: string }
  | { scheme: 'basic'; realm?: string }

/** The Bearer challenge if there is one (it is the stronger), else Basic; undefined when neither. */
export function parseChallenge(header: string | string[] | undefined): Challenge | undefined {
  const values = Array.isArray(header) ? header : header ? [header] : []
  const challenges = values.flatMap(splitChallenges)
  const bearer = challenges.find((c) => c.scheme === 'bearer' && typeof c.params.realm === 'string')
  if (bearer) {
    const { realm, service, scope, error } = bearer.params
    const result: Challenge = { scheme: 'bearer', realm: realm as string }
    if (service !== undefined) result.service = service
    if (scope !== undefined) result.scope = scope
    if (error !== undefined) result.error = error
    return result
  }
  const basic = challenges.find((c) => c.scheme === 'basic')
  if (basic)
    return basic.params.realm === undefined
      ? { scheme: 'basic' }
      : { scheme: 'basic', realm: basic.params.realm }
  return undefined
}

interface RawChallenge {
  scheme: string
  params: Record<string, string>
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/

/** Splits `Bearer realm="a",service="b", Basic realm="c"` into challenges with their params. */
function splitChallenges(text: string): RawChallenge[] {
  const result: RawChallenge[] = []
  let rest = text.trim()
  let current: RawChallenge | undefined
  while (rest.length > 0) {
    const word = TOKEN.exec(rest)?.[0]
    if (!word) break
    const afterWord = rest.slice(word.length).trimStart()
    if (afterWord.startsWith('=') && current) {
      const [value, remaining] = readValue(afterWord.slice(1).trimStart())
      current.params[word.toLowerCase()] = value
      rest = remaining
    } else {
      current = { scheme: word.toLowerCase(), params: {} }
      result.push(current)
      rest = afterWord
    }
    rest = rest.replace(/^\s*,\s*/, '')
  }
  return result
}

function readValue(text: string): [string, string] {
  if (!text.startsWith('"')) {
    const word = TOKEN.exec(text)?.[0] ?? ''
    return [word, text.slice(word.length)]
  }
  let value = ''
  for (let i = 1; i < text.length; i++) {
    const char = text[i]
    if (char === '\\' && i + 1 < text.length) {
      value += text[++i]
    } else if (char === '"') {
      return [value, text.slice(i + 1)]
    } else {
      value += char
    }
  }
  return [value, '']
}
