// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the config file's own syntax, not a template
import { describe, expect, it } from 'vitest'
import { expandEnv } from './expand.js'

describe('expandEnv', () => {
  const env = { GIT_TOKEN: 'tok: "quoted" #1', EMPTY: '' }

  it('expands variables in nested string values, never in keys', () => {
    const input = { '${GIT_TOKEN}': 1, a: [{ b: 'x-${GIT_TOKEN}-y' }], n: 5, t: true, z: null }
    const { value, issues } = expandEnv(input, env)
    expect(issues).toEqual([])
    expect(value).toEqual({ '${GIT_TOKEN}': 1, a: [{ b: 'x-tok: "quoted" #1-y' }], n: 5, t: true, z: null })
  })

  it('keeps $${VAR} as a literal ${VAR} and allows an empty variable', () => {
    expect(expandEnv('$${GIT_TOKEN} and ${EMPTY}.', env).value).toBe('${GIT_TOKEN} and .')
  })

  it('reports an unset variable at its key path and keeps the text', () => {
    const { value, issues, unresolved } = expandEnv(
      { repositories: [{ auth: { password: '${NOPE}' } }] },
      env,
    )
    expect(issues).toEqual([
      { path: ['repositories', 0, 'auth', 'password'], message: 'environment variable NOPE is not set' },
    ])
    expect(value).toEqual({ repositories: [{ auth: { password: '${NOPE}' } }] })
    expect(unresolved.size).toBe(1)
  })

  it('reports malformed references', () => {
    const { issues } = expandEnv({ a: '${not closed', b: '${1BAD}', c: '${}' }, env)
    expect(issues.map((issue) => issue.path[0])).toEqual(['a', 'b', 'c'])
    expect(issues[0]?.message).toContain('is not a variable reference')
  })

  it('does not touch a lone dollar sign', () => {
    expect(expandEnv('pa$$word$', env).value).toBe('pa$$word$')
  })
})
