// Flux v2 ImagePolicy `semver` with the picks of image-reflector-controller@debe2aaa3a98
// internal/policy/semver_test.go (TestNewSemVer, TestSemVer_Latest) and
// internal/controller/policy_test.go (using SemVerPolicy, invalid range).
import { describe, expect, it } from 'vitest'
import { createPolicy } from './factory.js'
import { PolicyError } from './policy.js'
import { decide } from './select.js'

const semver = (range: string) => createPolicy({ kind: 'semver', pattern: range })

describe('TestNewSemVer', () => {
  it.each(['1.0.x', '^1.0', '=1.0.0', '~1.0', '>=1.0', '>0,<2.0'])('accepts %s', (range) => {
    expect(() => semver(range)).not.toThrow()
  })

  it.each(['1.0.0p', '1x', 'x1', '-1', 'a', '*-*'])('refuses %j as POLICY_INVALID', (range) => {
    expect(() => semver(range)).toThrow(PolicyError)
  })

  it('refuses the empty range, saying what to write instead', () => {
    expect(() => semver('')).toThrow(/write semver:\* to accept every release/)
  })
})

describe('TestSemVer_Latest', () => {
  it.each([
    ['With valid format', '1.0.x', ['1.0.0', '1.0.0.1', '1.0.0p', '1.0.1', '1.2.0', '0.1.0'], '1.0.1'],
    ['With valid format prefix', '1.0.x', ['v1.2.3', 'v1.0.0', 'v0.1.0'], 'v1.0.0'],
    ['With invalid format prefix', '1.0.x', ['b1.2.3', 'b1.0.0', 'b0.1.0'], undefined],
    ['With empty list', '1.0.x', [], undefined],
    ['With non-matching version list', '1.0.x', ['1.2.0'], undefined],
    [
      'controller: using SemVerPolicy',
      '1.0.x',
      ['0.1.0', '0.1.1', '0.2.0', '1.0.0', '1.0.1', '1.0.2', '1.1.0-alpha'],
      '1.0.2',
    ],
  ])('%s', (_label, range, tags, expected) => {
    expect(decide({ policy: semver(range), tags }).next).toBe(expected)
  })
})
