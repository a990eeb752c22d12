import { describe, expect, it } from 'vitest'
import { createPolicy } from './factory.js'
import type { BuildInfo } from './policy.js'
import { decide } from './select.js'
import { parsePolicySpec } from './spec.js'

const policy = (value: string) => createPolicy(parsePolicySpec(value))
const builtAt =
  (times: Record<string, string>) =>
  (tag: string): BuildInfo | undefined =>
    times[tag] === undefined ? undefined : { created: times[tag] }

describe('decide: nothing to choose from', () => {
  it('says when the registry lists no tags', () => {
    const decision = decide({ policy: policy('semver:^1'), currentTag: '1.0.0', tags: [] })
    expect(decision).toEqual({
      reason: 'the registry lists no tags for this image',
      tagsSeen: 0,
      candidates: 0,
      outcome: 'no-tags',
    })
  })

  it('says how many tags were seen and why none matches', () => {
    const decision = decide({
      policy: policy('semver:^2'),
      currentTag: '1.0.0',
      tags: ['1.0.0', '1.1.0', 'latest', 'bad+tag', '2.0.0.sig'],
    })
    expect(decision.next).toBeUndefined()
    expect(decision.outcome).toBe('no-match')
    expect(decision.tagsSeen).toBe(5)
    expect(decision.candidates).toBe(0)
    expect(decision.reason).toBe(
      'no tag matches semver:^2: of 5 tags seen, 4 do not match, 1 is not a valid tag',
    )
  })

  it('says when every tag is excluded', () => {
    const decision = decide({
      policy: policy('glob:*'),
      tags: ['sha256-a.sig', 'sha256-a.att', 'sha256-a.sbom'],
    })
    expect(decision.outcome).toBe('no-match')
    expect(decision.reason).toBe('all 3 tags seen are excluded by *.sig, *.att, *.sbom')
  })

  it('mentions the latest rule when only latest would have matched', () => {
    const decision = decide({ policy: policy('glob:*'), tags: ['latest', 'sha256-a.sig'] })
    expect(decision.reason).toBe(
      'no tag matches glob:*: of 2 tags seen, 1 matches but is excluded by *.sig, *.att, *.sbom, "latest" is chosen only by glob:latest',
    )
  })

  it('never chooses a tag outside the tag grammar (it could inject YAML)', () => {
    const tags = ['1.0.0', '9.9.9\nkind: Secret', '9.9.9 #', '-9.9.9', '9.9.9+x']
    const semver = decide({ policy: policy('semver:*'), currentTag: '1.0.0', tags })
    expect(semver.outcome).toBe('up-to-date')
    expect(semver.candidates).toBe(1)
    const glob = decide({
      policy: policy('glob:*'),
      tags,
      buildInfo: () => ({ created: '2024-01-01T00:00:00Z' }),
    })
    expect(glob.next).toBe('1.0.0')
    expect(glob.candidates).toBe(1)
  })
})

describe('decide: build times', () => {
  const times = {
    'dev-1': '2024-01-01T00:00:00Z',
    'dev-2': '2024-02-01T00:00:00Z',
    'dev-3': '1970-01-01T00:00:00Z',
  }

  it('chooses the newest build and says how many tags were seen and matched', () => {
    const decision = decide({
      policy: policy('glob:dev-*'),
      currentTag: 'dev-1',
      tags: ['dev-1', 'dev-2', 'dev-3', 'dev-4', 'main-9', 'latest'],
      buildInfo: builtAt(times),
    })
    expect(decision).toEqual({
      next: 'dev-2',
      reason:
        'dev-1 → dev-2: the newest match for glob:dev-* (4 candidates of 6 tags seen); ' +
        '2 candidates have no build time (epoch or missing): dev-3, dev-4',
      tagsSeen: 6,
      candidates: 4,
      outcome: 'update',
    })
  })

  it('never chooses an epoch or missing build time, and says so', () => {
    const decision = decide({
      policy: policy('glob:dev-*'),
      currentTag: 'dev-0',
      tags: ['dev-3', 'dev-4', 'dev-5'],
      buildInfo: builtAt(times),
    })
    expect(decision.next).toBeUndefined()
    expect(decision.outcome).toBe('unorderable')
    expect(decision.reason).toBe(
      'none of the candidates matching glob:dev-* can be chosen (3 candidates of 3 tags seen): ' +
        '3 candidates have no build time (epoch or missing): dev-3, dev-4, dev-5',
    )
  })

  it('treats a build-time policy without build info as unorderable', () => {
    const decision = decide({ policy: policy('regex:^dev-'), tags: ['dev-1'] })
    expect(decision.outcome).toBe('unorderable')
  })

  it('stays when the current tag is the newest build', () => {
    const decision = decide({
      policy: policy('glob:dev-*'),
      currentTag: 'dev-2',
      tags: ['dev-1', 'dev-2'],
      buildInfo: builtAt(times),
    })
    expect(decision.next).toBeUndefined()
    expect(decision.outcome).toBe('up-to-date')
    expect(decision.reason).toBe(
      'up to date: current tag dev-2 is the newest match for glob:dev-* (2 candidates of 2 tags seen)',
    )
  })

  it('moves off a current tag whose build time is unknown', () => {
    const decision = decide({
      policy: policy('glob:dev-*'),
      currentTag: 'dev-9',
      tags: ['dev-1', 'dev-9'],
      buildInfo: builtAt(times),
    })
    expect(decision.next).toBe('dev-1')
    expect(decision.reason).toContain('the current tag cannot be ordered')
    expect(decision.reason).toContain('1 candidate has no build time (epoch or missing): dev-9')
  })

  it('breaks equal build times by the lexically greater tag', () => {
    const same = { a: '2024-01-01T00:00:00Z', b: '2024-01-01T00:00:00Z' }
    expect(decide({ policy: policy('*'), tags: ['b', 'a'], buildInfo: builtAt(same) }).next).toBe('b')
    expect(decide({ policy: policy('*'), tags: ['a', 'b'], buildInfo: builtAt(same) }).next).toBe('b')
    // The current tag ties with the newest: moving would be churn.
    const tie = decide({ policy: policy('*'), currentTag: 'a', tags: ['a', 'b'], buildInfo: builtAt(same) })
    expect(tie.outcome).toBe('up-to-date')
    expect(tie.reason).toContain('b orders equal, so nothing moves')
  })
})

describe('decide: semver and the downgrade guard', () => {
  const tags = ['0.3.0', '0.4.0', '0.4.1', '0.4.2-rc.1', '0.5.0']

  it('moves up within the range', () => {
    const decision = decide({ policy: policy('semver:~0.4'), currentTag: '0.4.0', tags })
    expect(decision.next).toBe('0.4.1')
    expect(decision.reason).toBe(
      '0.4.0 → 0.4.1: the newest match for semver:~0.4 (2 candidates of 5 tags seen)',
    )
  })

  it('is up to date when the current tag is the newest listed match', () => {
    const decision = decide({ policy: policy('semver:~0.4'), currentTag: '0.4.1', tags })
    expect(decision.outcome).toBe('up-to-date')
  })

  it('would not downgrade from a matching tag the registry does not list', () => {
    const decision = decide({ policy: policy('semver:~0.4'), currentTag: '0.4.7', tags })
    expect(decision.next).toBeUndefined()
    expect(decision.outcome).toBe('would-downgrade')
    expect(decision.reason).toContain('current tag 0.4.7 is already the newest match for semver:~0.4')
    expect(decision.reason).toContain('would downgrade from 0.4.7 to 0.4.1')
  })

  it('converges when the current tag fails the filter, even downwards', () => {
    const decision = decide({ policy: policy('semver:~0.4'), currentTag: '0.5.0', tags })
    expect(decision.next).toBe('0.4.1')
    expect(decision.outcome).toBe('update')
    expect(decision.reason).toBe(
      '0.5.0 → 0.4.1: current tag does not match semver:~0.4, so converging to the newest match for semver:~0.4 (2 candidates of 5 tags seen)',
    )
  })

  it('converges off latest', () => {
    const decision = decide({ policy: policy('semver:*'), currentTag: 'latest', tags })
    expect(decision.next).toBe('0.5.0')
    expect(decision.reason).toContain('current tag does not match semver:*')
    const glob = decide({
      policy: policy('*'),
      currentTag: 'latest',
      tags: ['latest', 'v1'],
      buildInfo: () => ({ created: '2024-01-01T00:00:00Z' }),
    })
    expect(glob.next).toBe('v1')
    expect(glob.reason).toContain('current tag is "latest", which only glob:latest selects')
  })

  it('takes pre-releases only when the range names one', () => {
    expect(decide({ policy: policy('semver:~0.4.2-rc.0'), tags }).next).toBe('0.4.2-rc.1')
    expect(decide({ policy: policy('semver:>=0.4.2'), tags }).next).toBe('0.5.0')
  })

  it('chooses without a current tag', () => {
    const decision = decide({ policy: policy('semver:^0.4'), tags })
    expect(decision.next).toBe('0.4.1')
    expect(decision.reason).toBe(
      'chose 0.4.1: the newest match for semver:^0.4 (2 candidates of 5 tags seen)',
    )
  })

  it('gives equal versions to the longer tag, but does not move between them', () => {
    expect(decide({ policy: policy('semver:*'), tags: ['1.2.3', 'v1.2.3'] }).next).toBe('v1.2.3')
    const current = decide({
      policy: policy('semver:*'),
      currentTag: '1.2.3',
      tags: ['1.2.3', 'v1.2.3', '1.2.2'],
    })
    expect(current.outcome).toBe('up-to-date')
    expect(current.next).toBeUndefined()
  })

  it('counts duplicate tags once', () => {
    expect(decide({ policy: policy('semver:*'), tags: ['1.0.0', '1.0.0'] }).tagsSeen).toBe(1)
  })
})

describe('decide: named-group regex', () => {
  const regex = policy('regex:^main-[a-f0-9]+-(?<ts>\\d+)$')

  it('orders by the captured number without build times', () => {
    const tags = ['main-aa11-1700000000', 'main-bb22-1700000100', 'main-cc33-999', 'dev-dd44-1800000000']
    const decision = decide({ policy: regex, currentTag: 'main-aa11-1700000000', tags })
    expect(decision.next).toBe('main-bb22-1700000100')
    expect(decision.candidates).toBe(3)
  })

  it('does not go back to a lower number', () => {
    const decision = decide({ policy: regex, currentTag: 'main-ff-20', tags: ['main-aa-10'] })
    expect(decision.outcome).toBe('would-downgrade')
  })
})
