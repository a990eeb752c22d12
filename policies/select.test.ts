import { describe, expect, it } from 'vitest'
import { createPolicy } from './factory.js'
import type { BuildInfo } from './policy.js'
import { decide } from './select.js'
import { parsePolicySpec } from './spec.js'

const policy = (value: string) => createPolicy(parsePolicySpec(value))
/** A tag absent from `times` is unknown (metadata not fetched); null is known, without a build time. */
const builtAt =
  (times: Record<string, string | null>) =>
  (tag: string): BuildInfo | undefined => {
    const created = times[tag]
    return created === undefined ? undefined : created === null ? {} : { created }
  }

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
    'dev-4': null,
    'dev-5': null,
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
      newest: 'dev-2',
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
      currentTag: 'main-0',
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

  it('waits when a build-time policy has no build info at all', () => {
    const decision = decide({ policy: policy('regex:^dev-'), tags: ['dev-1'] })
    expect(decision.outcome).toBe('waiting-for-metadata')
    expect(decision.next).toBeUndefined()
  })

  it('waits for a candidate whose metadata is unknown, naming it (issue 12: no non-newest update)', () => {
    const decision = decide({
      policy: policy('glob:dev-*'),
      currentTag: 'dev-1',
      tags: ['dev-1', 'dev-2', 'dev-7'],
      buildInfo: builtAt(times),
    })
    expect(decision).toEqual({
      reason:
        'waiting for build metadata of dev-7: glob:dev-* orders by build time, and a tag whose build time is ' +
        'unknown could be newer than any choice (3 candidates of 3 tags seen); nothing moves until a scan knows it',
      tagsSeen: 3,
      candidates: 3,
      outcome: 'waiting-for-metadata',
    })
  })

  it('waits for an unlisted current tag whose metadata is unknown (issue 12: no downgrade)', () => {
    const decision = decide({
      policy: policy('glob:dev-*'),
      currentTag: 'dev-9',
      tags: ['dev-1', 'dev-2'],
      buildInfo: builtAt(times),
    })
    expect(decision.outcome).toBe('waiting-for-metadata')
    expect(decision.reason).toMatch(
      /^waiting for build metadata of dev-9 \(including the current tag dev-9\)/,
    )
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

  // fluxcd/flux pkg/daemon/images_test.go TestCalculateChanges_ZeroTimestamp (container2): the current
  // image has a zero created time, a newer one exists, and Flux v1 does not move (flux#1817).
  it.each([
    ['missing', null],
    ['the epoch', '1970-01-01T00:00:00Z'],
  ])('does not move off a current tag whose build time is %s, and says why', (_name, created) => {
    const decision = decide({
      policy: policy('glob:*'),
      currentTag: 'current',
      tags: ['current', 'new'],
      buildInfo: builtAt({ current: created, new: '2024-01-01T00:00:01Z' }),
    })
    expect(decision.next).toBeUndefined()
    expect(decision.outcome).toBe('current-without-build-time')
    expect(decision.reason).toBe(
      'current tag current has no build time (epoch or missing), so glob:* cannot tell whether any tag is newer ' +
        '(2 candidates of 2 tags seen); nothing moves, as in Flux v1, so that a rebuild without a time never causes a rollback',
    )
  })

  it('still converges off a current tag without build time that fails the filter', () => {
    const decision = decide({
      policy: policy('glob:dev-*'),
      currentTag: 'main-1',
      tags: ['main-1', 'dev-1'],
      buildInfo: builtAt({ 'main-1': null, 'dev-1': '2024-01-01T00:00:00Z' }),
    })
    expect(decision.next).toBe('dev-1')
  })

  // fluxcd/flux pkg/image/image_test.go TestImage_OrderByCreationDate: equal created times, then the
  // smaller reference string first; zero times last.
  it('breaks equal build times as Flux v1: the lexically smaller tag is newer', () => {
    const created = {
      '0': '2017-01-13T16:22:59.009923189Z',
      '1': '2017-01-13T16:22:58.009923189Z',
      '2': '2017-01-13T16:22:58.009923189Z',
      '3': '2017-01-13T16:22:57.009923189Z',
      '4': null,
      '5': null,
    }
    const ordering = policy('glob:*').order(['2', '0', '3', '4', '1', '5'], builtAt(created))
    expect([...ordering.ranked, ...ordering.unordered.sort()]).toEqual(['0', '1', '2', '3', '4', '5'])
    const same = { a: '2024-01-01T00:00:00Z', b: '2024-01-01T00:00:00Z' }
    expect(decide({ policy: policy('*'), tags: ['b', 'a'], buildInfo: builtAt(same) }).next).toBe('a')
    expect(decide({ policy: policy('*'), tags: ['a', 'b'], buildInfo: builtAt(same) }).next).toBe('a')
    // We differ from Flux v1 here: a current tag tied with the newest stays (moving would be churn
    // between two tags of one build), where Flux would move b → a.
    const tie = decide({ policy: policy('*'), currentTag: 'b', tags: ['a', 'b'], buildInfo: builtAt(same) })
    expect(tie.outcome).toBe('up-to-date')
    expect(tie.reason).toContain('a orders equal, so nothing moves')
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
    expect(decision.newest).toBe('0.4.1')
  })

  it('would not downgrade from a matching tag the registry does not list', () => {
    const decision = decide({ policy: policy('semver:~0.4'), currentTag: '0.4.7', tags })
    expect(decision.next).toBeUndefined()
    expect(decision.outcome).toBe('would-downgrade')
    // The newest tag seen is the newest the registry lists, not the unlisted current one.
    expect(decision.newest).toBe('0.4.1')
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

// fluxcd/flux@c2317f813d94 pkg/daemon/images_test.go: TestCalculateChanges_Automated,
// TestCalculateChanges_UntaggedImage (container2) and TestCalculateChanges_ZeroTimestamp (container3).
describe('decide: Flux v1 calculateChanges cases', () => {
  it('moves to the newer build (Automated)', () => {
    const buildInfo = builtAt({ current: '2024-01-01T00:00:00Z', new: '2024-01-01T00:00:01Z' })
    expect(
      decide({ policy: policy('glob:*'), currentTag: 'current', tags: ['current', 'new'], buildInfo }).next,
    ).toBe('new')
  })

  it('stays when the registry lists only the current tag (UntaggedImage)', () => {
    const buildInfo = builtAt({ current: '2024-01-01T00:00:00Z' })
    const decision = decide({ policy: policy('glob:*'), currentTag: 'current', tags: ['current'], buildInfo })
    expect(decision.outcome).toBe('up-to-date')
  })

  it('semver ignores a zero build time on the newest version (ZeroTimestamp container3)', () => {
    const buildInfo = builtAt({ '1.0.0': '2024-01-01T00:00:00Z', '1.1.0': null })
    expect(
      decide({ policy: policy('semver:^1.0'), currentTag: '1.0.0', tags: ['1.0.0', '1.1.0'], buildInfo })
        .next,
    ).toBe('1.1.0')
  })
})
