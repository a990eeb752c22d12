import { describe, expect, it } from 'vitest'
import { parseChallenge } from './challenge.js'

describe('parseChallenge', () => {
  it('reads a Docker Hub style Bearer challenge', () => {
    const header =
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"'
    expect(parseChallenge(header)).toEqual({
      scheme: 'bearer',
      realm: 'https://auth.docker.io/token',
      service: 'registry.docker.io',
      scope: 'repository:library/nginx:pull',
    })
  })

  it('keeps error codes and escaped quotes, ignores case of the scheme and keys', () => {
    expect(
      parseChallenge('bearer Realm="https://a/t",error="insufficient_scope",service="s \\"x\\""'),
    ).toEqual({
      scheme: 'bearer',
      realm: 'https://a/t',
      service: 's "x"',
      error: 'insufficient_scope',
    })
  })

  it('prefers Bearer over Basic when both are offered, in one header or several', () => {
    expect(parseChallenge('Basic realm="r", Bearer realm="https://t",service=svc')).toMatchObject({
      scheme: 'bearer',
      service: 'svc',
    })
    expect(parseChallenge(['Basic realm="r"', 'Bearer realm="https://t"'])?.scheme).toBe('bearer')
  })

  it('reads Basic, and gives undefined for nothing usable', () => {
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({
      scheme: 'basic',
      realm: 'Registry Realm',
    })
    expect(parseChallenge(undefined)).toBeUndefined()
    expect(parseChallenge('Negotiate abc')).toBeUndefined()
    expect(parseChallenge('Bearer service="no-realm"')).toBeUndefined()
  })
})
