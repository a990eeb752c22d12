// Tag filters as Flux v1 users wrote them. Cases from fluxcd/flux@c2317f813d94:
// pkg/policy/pattern_test.go (TestGlobPattern_Matches, TestSemverPattern_Matches,
// TestRegexpPattern_Matches), pkg/image/image_test.go (TestImage_OrderBySemverTagDesc) and
// pkg/update/images_test.go (TestImageInfos_Filter_*), and Masterminds/semver v3's range rules
// (its README "Checking Version Constraints"), which Flux v1 and v2 read `semver:` with.
import { describe, expect, it } from 'vitest'
import { createPolicy } from './factory.js'
import { decide } from './select.js'
import { parsePolicySpec } from './spec.js'

const policy = (value: string) => createPolicy(parsePolicySpec(value))
const passing = (value: string, tags: string[]) => tags.filter((tag) => policy(value).matches(tag))

describe('pattern_test.go', () => {
  it.each([
    // Flux also matches the empty string; no registry tag is empty, and we refuse one as invalid.
    ['*', ['1', 'foo'], []],
    ['glob:*', ['1', 'foo'], []],
    ['master-*', ['master-', 'master-foo'], ['foo-master']],
    ['semver:*', ['1', '1.0', 'v1.0.3'], ['latest', '2.0.1-alpha.1']],
    ['semver:~1', ['v1', '1', '1.2', '1.2.3'], ['latest', '2.0.0']],
    ['semver:2.0.1-alpha.1', ['2.0.1-alpha.1'], ['2.0.1']],
    ['regexp:(.*?)', ['1', 'foo'], []],
    ['regexp:^([a-zA-Z]+)$', ['foo', 'BAR', 'fooBAR'], ['1', 'foo-1']],
    ['regex:^\\w{7}(?:\\w)?$', ['af14eb2', 'bb73ed94', '946427ff'], ['1', 'foo', '946427ff-foo']],
  ])('%s', (value, matching, failing) => {
    expect(passing(value, [...matching, ...failing])).toEqual(matching)
  })
})

describe('semver ordering (image_test.go TestImage_OrderBySemverTagDesc)', () => {
  it('orders 3, 1.10.0, 1.10, 1.2.30, v1: partial versions count, a full version first at equal value', () => {
    const tags = ['3', 'v1', '1.10', '1.2.30', '1.10.0', 'bbb-not-semver', 'aaa-not-semver']
    const ordering = policy('semver:*').order(tags.filter((tag) => policy('semver:*').matches(tag)))
    // Flux lists the tags that are not versions last; for us they are not candidates at all.
    expect(ordering.ranked).toEqual(['3', '1.10.0', '1.10', '1.2.30', 'v1'])
  })

  it('coerces v1 and v2 and sorts them (images_test.go TestMetadataInConsistencyTolerance)', () => {
    expect(decide({ policy: policy('semver:*'), tags: ['v1', 'v2', 'latest'] }).next).toBe('v2')
  })

  it('semver:* takes 1.0.0 over v0.0.1, semver:~1 only 1.0.0 (TestImageInfos_Filter_semver)', () => {
    expect(
      policy('semver:*').order(['latest', 'v0.0.1', '1.0.0'].filter((t) => policy('semver:*').matches(t)))
        .ranked,
    ).toEqual(['1.0.0', 'v0.0.1'])
    expect(passing('semver:~1', ['latest', 'v0.0.1', '1.0.0'])).toEqual(['1.0.0'])
  })

  it('latest only through glob:latest or the bare pattern latest (TestImageInfos_Filter_latest)', () => {
    expect(passing('glob:latest', ['latest', 'v0'])).toEqual(['latest'])
    expect(passing('latest', ['latest', 'v0'])).toEqual(['latest'])
    expect(passing('glob:*', ['latest', 'v0'])).toEqual(['v0'])
    expect(passing('*', ['latest', 'v0'])).toEqual(['v0'])
  })

  it('moves a partial version to a newer one, and a repo tagging v1.2 is no longer "no tag matches"', () => {
    expect(
      decide({ policy: policy('semver:~1'), currentTag: 'v1.2', tags: ['v1.2', 'v1.3', 'v2.0'] }).next,
    ).toBe('v1.3')
  })
})

describe('Masterminds/semver v3 ranges', () => {
  const tags = [
    '0.9.0',
    '1.0.0',
    '1.2.0',
    '1.2.9',
    '1.3.0',
    '1.4.5',
    '1.4.6',
    '2.0.0',
    '2.5.0',
    '3.0.0',
    '4.2.3',
    '5.0.0',
  ]

  it.each([
    // comma (or space) is AND, || is OR
    ['>=1.0, <2.0', ['1.0.0', '1.2.0', '1.2.9', '1.3.0', '1.4.5', '1.4.6']],
    [
      '>= 1.2, < 3.0.0 || >= 4.2.3',
      ['1.2.0', '1.2.9', '1.3.0', '1.4.5', '1.4.6', '2.0.0', '2.5.0', '4.2.3', '5.0.0'],
    ],
    ['>=1.2 <1.4', ['1.2.0', '1.2.9', '1.3.0']],
    // wildcards
    ['1.2.x', ['1.2.0', '1.2.9']],
    ['2.x', ['2.0.0', '2.5.0']],
    ['<= 1.2.x', ['0.9.0', '1.0.0', '1.2.0', '1.2.9']],
    ['> 1.2', ['1.3.0', '1.4.5', '1.4.6', '2.0.0', '2.5.0', '3.0.0', '4.2.3', '5.0.0']],
    // tilde and caret
    ['~1.2.3', ['1.2.9']],
    ['~1.2', ['1.2.0', '1.2.9']],
    ['~>1.4', ['1.4.5', '1.4.6']],
    ['^1.2', ['1.2.0', '1.2.9', '1.3.0', '1.4.5', '1.4.6']],
    ['^0.9', ['0.9.0']],
    // hyphen ranges: the upper bound is inclusive, a partial one includes its patches
    ['1.2 - 1.4.5', ['1.2.0', '1.2.9', '1.3.0', '1.4.5']],
    ['1.2 - 1.4', ['1.2.0', '1.2.9', '1.3.0', '1.4.5', '1.4.6']],
    // = and v prefixes; != excludes
    ['=1.2.0', ['1.2.0']],
    ['v1.2.0', ['1.2.0']],
    ['>=v2, !=2.5.0', ['2.0.0', '3.0.0', '4.2.3', '5.0.0']],
  ])('%s', (range, expected) => {
    expect(passing(`semver:${range}`, tags)).toEqual(expected)
  })

  it('accepts v prefixes in tags and ranges alike', () => {
    expect(passing('semver:>=v1.2, <v2', ['v1.1.0', 'v1.2.0', 'v1.9.9', 'v2.0.0'])).toEqual([
      'v1.2.0',
      'v1.9.9',
    ])
  })

  it('keeps Helm-style _ build metadata', () => {
    expect(passing('semver:~1.2', ['1.2.3_build.5', '1.3.0_x'])).toEqual(['1.2.3_build.5'])
  })
})
