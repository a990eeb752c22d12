// `${VAR}` expansion in every string value of the parsed YAML (never in keys). It runs after YAML parsing,
// so a secret full of quotes or colons cannot break the file's syntax. `$${VAR}` stays a literal `${VAR}`.

export type KeyPath = (string | number)[]

export interface ExpansionIssue {
  path: KeyPath
  message: string
}

const REFERENCE = /\$\$\{|\$\{([^}]*)\}?/g
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** A copy of the value with every string expanded, plus one issue per string that could not be expanded. */
export function expandEnv(
  value: unknown,
  env: NodeJS.ProcessEnv,
): { value: unknown; issues: ExpansionIssue[]; unresolved: Set<string> } {
  const issues: ExpansionIssue[] = []
  const expanded = walk(value, [], env, issues)
  return { value: expanded, issues, unresolved: new Set(issues.map((issue) => pathKey(issue.path))) }
}

/** A stable string for a key path, to match expansion issues against schema issues. */
export function pathKey(path: readonly PropertyKey[]): string {
  return JSON.stringify(path.map(String))
}

function walk(value: unknown, path: KeyPath, env: NodeJS.ProcessEnv, issues: ExpansionIssue[]): unknown {
  if (typeof value === 'string') return expandString(value, path, env, issues)
  if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index], env, issues))
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => [key, walk(item, [...path, key], env, issues)])
    return Object.fromEntries(entries)
  }
  return value
}

/** On a problem the original text is kept, so schema checks of that value can be told apart and skipped. */
function expandString(text: string, path: KeyPath, env: NodeJS.ProcessEnv, issues: ExpansionIssue[]): string {
  const problems: string[] = []
  const result = text.replace(REFERENCE, (match, name: string | undefined) => {
    if (match === '$${') return '${'
    if (!match.endsWith('}') || !VARIABLE_NAME.test(name ?? '')) {
      problems.push(
        `"${match}" is not a variable reference: write \${NAME} (letters, digits, _) or $\${ for a literal`,
      )
      return match
    }
    const resolved = env[name!]
    if (resolved === undefined) {
      problems.push(`environment variable ${name} is not set`)
      return match
    }
    return resolved
  })
  for (const message of problems) issues.push({ path, message })
  return problems.length > 0 ? text : result
}
