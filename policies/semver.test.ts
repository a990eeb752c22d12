import { describe, expect, it } from 'vitest'
import { createPolicy } from './factory.js'
import { PolicyError } from './policy.js'
import { decide } from './select.js'
import { parseTagVersion } from './semver.js'

const semver = (pattern: string) => createPolicy({ kind: 'semver', pattern })
const passing = (pattern: string, tags: string[]) => tags.filter((tag) => semver(pattern).matches(tag))

describe('semver policy filter', () => {
  const tags = [
    '0.3.9',
    '0.4.0',
    '0.4.1-rc.1',
    '0.4.1',
    'v0.4.2',
    '0.4.3-beta',
    '0.5.0',
    '1.0.0',
    'main',
    '0.4',
  ]

  it('~0.4 takes releases of 0.4 only, no pre-releases', () => {
    expect(passing('~0.4', tags)).toEqual(['0.4.0', '0.4.1', 'v0.4.2', '0.4'])
  })

  // Masterminds/semver v3 (constraints.go, issue 21): a pre-release passes a comparator only when
  // that comparator names a pre-release, whatever its major.minor.patch. node-semver differs.
  it('takes pre-releases only through comparators that name one (Masterminds, not node-semver)', () => {
    expect(passing('~0.4.1-rc.0', tags)).toEqual(['0.4.1-rc.1', '0.4.1', 'v0.4.2', '0.4.3-beta'])
    // `<0.5.0` names no pre-release, so no pre-release passes the whole range.
    expect(passing('>=0.4.3-alpha <0.5.0', tags)).toEqual([])
    // Every version from 0.4.0-rc.0 up, pre-releases of any version included.
    expect(passing('>=0.4.0-rc.0', tags)).toEqual(tags.filter((tag) => tag !== '0.3.9' && tag !== 'main'))
  })

  it('reads partial versions as versions (v1 is 1.0.0, 1.2 is 1.2.0), but not words', () => {
    expect(passing('*', ['0.4', '1', 'v1', 'latest', 'sha-1.2.3', '1.2.3', '1.0.0.1', '01.2'])).toEqual([
      '0.4',
      '1',
      'v1',
      '1.2.3',
    ])
    expect(parseTagVersion('v1')?.version).toBe('1.0.0')
    expect(parseTagVersion('1.10')?.version).toBe('1.10.0')
    expect(parseTagVersion('1.2_b3')?.build).toEqual(['b3'])
  })

  it('never needs build times', () => {
    expect(semver('^1').needsBuildTime).toBe(false)
  })

  it('reads a v prefix and _ as build metadata (Helm OCI tags)', () => {
    expect(parseTagVersion('v1.2.3')?.version).toBe('1.2.3')
    expect(parseTagVersion('1.2.3_build.5')?.build).toEqual(['build', '5'])
    // `+` parses, but is not allowed in a tag, so such a tag is never a candidate.
    expect(parseTagVersion('1.2.3+build')?.version).toBe('1.2.3')
    expect(semver('*').rejection('1.2.3+build')).toBe('invalid')
    expect(parseTagVersion('V1.2.3')).toBeNull()
    expect(parseTagVersion('01.2.3')).toBeNull()
  })

  it('excludes signature tags even when they parse as versions', () => {
    expect(passing('*', ['1.2.3', '1.2.3.sig'])).toEqual(['1.2.3'])
  })
})

describe('semver policy ordering', () => {
  it('orders by version, not by string', () => {
    const ordering = semver('*').order(['1.9.0', '1.10.0', '1.2.0', 'v2.0.0'])
    expect(ordering.ranked).toEqual(['v2.0.0', '1.10.0', '1.9.0', '1.2.0'])
  })

  it('gives equal full versions to the longer string, and ranks a full version over a partial one', () => {
    expect(semver('*').order(['1.2', 'v1.2', '1.2.0']).ranked[0]).toBe('1.2.0')
    expect(semver('*').order(['1.2.3', 'v1.2.3']).ranked[0]).toBe('v1.2.3')
    expect(semver('*').order(['v1.2.3', '1.2.3']).ranked[0]).toBe('v1.2.3')
    expect(semver('*').order(['1.2.3', '1.2.3_b7', '1.2.3_b']).ranked).toEqual([
      '1.2.3_b7',
      '1.2.3_b',
      '1.2.3',
    ])
  })

  it('orders a release after its pre-releases', () => {
    expect(semver('~1.2.3-rc.0').order(['1.2.3-rc.2', '1.2.3', '1.2.3-rc.10']).ranked).toEqual([
      '1.2.3',
      '1.2.3-rc.10',
      '1.2.3-rc.2',
    ])
  })
})

describe('semver policy validation', () => {
  it.each(['', '~1.x.y', 'foo', '>=1.0.0 <', '<<1', '1.0.0p', '1x', 'x1', '-1', 'a', '*-*'])(
    'throws PolicyError for %j',
    (pattern) => {
      expect(() => semver(pattern)).toThrow(PolicyError)
      expect(() => semver(pattern)).toThrow(`invalid tag policy "semver:${pattern}"`)
    },
  )

  it('says what a valid range looks like', () => {
    expect(() => semver('foo')).toThrow(/not a valid semver range \("foo" is not a constraint\).*\^1\.2/)
  })
})

describe('semver partial versions and the downgrade guard', () => {
  it('does not move a current partial tag to the full spelling of the same version', () => {
    const policy = createPolicy({ kind: 'semver', pattern: '*' })
    expect(decide({ policy, currentTag: '1.2', tags: ['1.2', '1.2.0', '1.1.9'] }).outcome).toBe('up-to-date')
    expect(decide({ policy, tags: ['1.2', '1.2.0', '1.1.9'] }).next).toBe('1.2.0')
  })
})
