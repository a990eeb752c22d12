import { describe, expect, it } from 'vitest'
import {
  canonicalRepository,
  ImageRefError,
  isValidTag,
  parseImageRef,
  repositoryKey,
  withTag,
  writtenName,
} from './reference.js'

const DIGEST = `sha256:${'a'.repeat(64)}`

describe('parseImageRef: domain detection', () => {
  it.each([
    ['nginx', undefined, 'nginx'],
    ['stefanprodan/podinfo', undefined, 'stefanprodan/podinfo'],
    ['localhost/app', 'localhost', 'app'],
    ['ghcr.io/org/app', 'ghcr.io', 'org/app'],
    ['myreg:5000/app', 'myreg:5000', 'app'],
    ['localhost:5000/team/app', 'localhost:5000', 'team/app'],
    ['[::1]:5000/app', '[::1]:5000', 'app'],
    ['Registry/app', 'Registry', 'app'],
    ['a/b/c/d', undefined, 'a/b/c/d'],
  ])('%s → domain %s, path %s', (input, domain, path) => {
    const ref = parseImageRef(input)
    expect(ref.domain).toBe(domain)
    expect(ref.path).toBe(path)
    expect(ref.tag).toBeUndefined()
    expect(ref.written).toBe(input)
  })

  it('reads a colon before the last slash as a port, after it as a tag', () => {
    expect(parseImageRef('myreg:5000/app:1')).toEqual({
      domain: 'myreg:5000',
      path: 'app',
      tag: '1',
      written: 'myreg:5000/app:1',
    })
    expect(parseImageRef('myreg:5000/team/app').tag).toBeUndefined()
  })
})

describe('parseImageRef: tag and digest', () => {
  it('parses tag, digest, and both', () => {
    expect(parseImageRef('nginx:1.25.3')).toMatchObject({ path: 'nginx', tag: '1.25.3' })
    expect(parseImageRef(`nginx@${DIGEST}`)).toMatchObject({ path: 'nginx', digest: DIGEST })
    expect(parseImageRef(`nginx@${DIGEST}`).tag).toBeUndefined()
    expect(parseImageRef(`ghcr.io/a/b:v1_2-rc.3@${DIGEST}`)).toMatchObject({
      domain: 'ghcr.io',
      path: 'a/b',
      tag: 'v1_2-rc.3',
      digest: DIGEST,
    })
  })

  it.each(['nginx:', 'nginx:-1', 'nginx:.1', 'nginx:1+build', `nginx:${'a'.repeat(129)}`, 'nginx:a:b'])(
    'rejects the invalid tag in %s',
    (input) => {
      expect(() => parseImageRef(input)).toThrow(/invalid tag/)
    },
  )

  it('accepts a tag of 128 characters', () => {
    expect(parseImageRef(`nginx:${'a'.repeat(128)}`).tag).toHaveLength(128)
  })

  it.each(['nginx@sha256:abc', 'nginx@', 'nginx@sha256', `nginx@sha256:${'g'.repeat(64)}`])(
    'rejects the invalid digest in %s',
    (input) => {
      expect(() => parseImageRef(input)).toThrow(/invalid digest/)
    },
  )
})

describe('parseImageRef: errors', () => {
  it('names the input and says the repository must be lowercase', () => {
    expect(() => parseImageRef('NGINX:1')).toThrow(
      'invalid image reference "NGINX:1": repository name must be lowercase',
    )
    expect(() => parseImageRef('ghcr.io/Org/app')).toThrow(/must be lowercase/)
  })

  it('throws an ImageRefError with a code', () => {
    try {
      parseImageRef('a b')
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(ImageRefError)
      expect((error as ImageRefError).code).toBe('IMAGE_REF_INVALID')
      expect((error as ImageRefError).input).toBe('a b')
    }
  })

  it.each([
    ['', /empty/],
    [' nginx', /whitespace/],
    ['ghcr.io/', /missing repository/],
    ['ghcr.io//app', /invalid path component/],
    ['a/-b', /invalid path component/],
    ['a/b_', /invalid path component/],
    ['my_reg.io:x/app', /invalid registry domain/],
    [`ghcr.io/${'a'.repeat(250)}`, /longer than 255/],
  ])('rejects %j', (input, message) => {
    expect(() => parseImageRef(input)).toThrow(message)
  })

  it('accepts separators the grammar allows', () => {
    expect(parseImageRef('a/b__c.d-e---f_g').path).toBe('a/b__c.d-e---f_g')
  })
})

describe('canonicalRepository and repositoryKey', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx'],
    ['nginx:1.2', 'docker.io/library/nginx'],
    ['library/nginx', 'docker.io/library/nginx'],
    ['docker.io/nginx', 'docker.io/library/nginx'],
    ['index.docker.io/nginx', 'docker.io/library/nginx'],
    ['index.docker.io/library/nginx:1', 'docker.io/library/nginx'],
    ['registry-1.docker.io/stefanprodan/podinfo', 'docker.io/stefanprodan/podinfo'],
    ['stefanprodan/podinfo', 'docker.io/stefanprodan/podinfo'],
    ['GHCR.IO/org/app', 'ghcr.io/org/app'],
    ['myreg:5000/app:1', 'myreg:5000/app'],
  ])('%s → %s', (input, key) => {
    expect(repositoryKey(parseImageRef(input))).toBe(key)
  })

  it('takes a RepositoryName as well', () => {
    expect(repositoryKey(canonicalRepository(parseImageRef('nginx')))).toBe('docker.io/library/nginx')
  })
})

describe('withTag keeps the written form', () => {
  it.each([
    ['nginx:1.1', '1.2', 'nginx:1.2'],
    ['nginx', '1.2', 'nginx:1.2'],
    ['myreg:5000/app:1', '2', 'myreg:5000/app:2'],
    ['index.docker.io/library/nginx:1', '2', 'index.docker.io/library/nginx:2'],
    [`ghcr.io/org/app:v1@${DIGEST}`, 'v2', 'ghcr.io/org/app:v2'],
    [`nginx@${DIGEST}`, '1.2', 'nginx:1.2'],
  ])('%s with %s → %s', (input, tag, expected) => {
    expect(withTag(parseImageRef(input), tag)).toBe(expected)
  })

  it('refuses an invalid tag', () => {
    expect(() => withTag(parseImageRef('nginx:1'), '1.2\nkey: x')).toThrow(/invalid tag/)
  })

  it('writtenName keeps the domain as written', () => {
    expect(writtenName(parseImageRef('MyReg.io:5000/app:1'))).toBe('MyReg.io:5000/app')
  })
})

describe('isValidTag', () => {
  it.each(['1', 'v1.2.3', 'A_b-c.d', '_x', 'a'.repeat(128)])('accepts %j', (tag) => {
    expect(isValidTag(tag)).toBe(true)
  })
  it.each(['', '-a', '.a', 'a b', 'a\n', 'a:b', 'a+b', 'a/b', 'ä', 'a'.repeat(129)])('rejects %j', (tag) => {
    expect(isValidTag(tag)).toBe(false)
  })
})
