// Flux v2 `filterTags` (pattern + extract) before any policy kind. Cases from
// github.com/fluxcd/image-reflector-controller@debe2aaa3a98: internal/policy/filter_test.go
// (TestRegexFilter) and internal/controller/policy_test.go (TestImagePolicyReconciler_filterTags).
import { describe, expect, it } from 'vitest'
import { createPolicy } from './factory.js'
import { PolicyError } from './policy.js'
import { compileRe2, expandTemplate } from './re2.js'
import { decide } from './select.js'
import type { PolicySpec } from './spec.js'

const DEBUG_TAGS = [
  '123-123.123.abcd123-debug',
  '123-123.123.abcd123',
  '123-123.123.abcd456-debug',
  '123-123.123.abcd456',
]

/** Which tags the filter selects (as Flux's RegexFilter.Items, but the tags, not the values). */
const selected = (tags: string[], pattern: string, extract = '') =>
  tags.filter((tag) =>
    createPolicy({ kind: 'alphabetical', pattern: '', filterTags: { pattern, extract } }).matches(tag),
  )

describe('filterTags selection (filter_test.go TestRegexFilter)', () => {
  it.each([
    ['none', ['a'], '', '', ['a']],
    ['valid pattern', ['ver1', 'ver2', 'ver3', 'rel1'], '^ver', '', ['ver1', 'ver2', 'ver3']],
    [
      'valid pattern with capture group',
      ['ver1', 'ver2', 'ver3', 'rel1'],
      'ver(\\d+)',
      '$1',
      ['ver1', 'ver2', 'ver3'],
    ],
    [
      'complex regex 1',
      DEBUG_TAGS,
      '^(123-[0-9]+\\.[0-9]+\\.[a-z0-9]+-debug)',
      '',
      ['123-123.123.abcd123-debug', '123-123.123.abcd456-debug'],
    ],
    [
      'capture group (complex regex 2)',
      DEBUG_TAGS,
      '^(?P<tag>123-[0-9]+\\.[0-9]+\\.[a-z0-9]+[^-debug])',
      '$tag',
      // Flux lists the extracted values 123-123.123.abcd123 and …456; the "-debug" tags extract to
      // the same values, so its map keeps one tag per value. We select every tag the pattern finds
      // and let the order's tie-break choose between tags of equal value.
      DEBUG_TAGS,
    ],
    [
      'capture group (complex regex 3)',
      DEBUG_TAGS,
      '^(?P<tag>123-[0-9]+\\.[0-9]+\\.[a-z0-9]+$)',
      '$tag',
      ['123-123.123.abcd123', '123-123.123.abcd456'],
    ],
  ])('%s', (_label, tags, pattern, extract, expected) => {
    expect(selected(tags, pattern, extract)).toEqual(expected)
  })

  it('orders the extracted value and writes the tag', () => {
    const policy = createPolicy({
      kind: 'numerical',
      pattern: '',
      filterTags: { pattern: '^ver(\\d+)$', extract: '$1' },
    })
    const decision = decide({ policy, currentTag: 'ver9', tags: ['ver9', 'ver10', 'rel99', 'ver2'] })
    expect(decision).toMatchObject({ next: 'ver10', candidates: 3, tagsSeen: 4 })
  })
})

describe('filterTags then a policy (policy_test.go)', () => {
  it('semver >=0.x on the extracted value picks test-0.1.1 (TestImagePolicyReconciler_filterTags)', () => {
    const spec: PolicySpec = {
      kind: 'semver',
      pattern: '>=0.x',
      filterTags: { pattern: '^test-(.*)$', extract: '$1' },
    }
    const tags = ['test-0.1.0', 'test-0.1.1', 'dev-0.2.0', '1.0.0', '1.0.1', '1.0.2', '1.1.0-alpha']
    expect(decide({ policy: createPolicy(spec), tags }).next).toBe('test-0.1.1')
  })

  it('an invalid pattern is POLICY_INVALID naming it ("invalid regex")', () => {
    const spec: PolicySpec = {
      kind: 'semver',
      pattern: '>=0.x',
      filterTags: { pattern: '^test-(.*', extract: '$1' },
    }
    expect(() => createPolicy(spec)).toThrow(PolicyError)
    expect(() => createPolicy(spec)).toThrow(/invalid filterTags pattern .*missing closing \)/)
  })

  it('alphabetical asc without a filter picks zesty (TestImagePolicyReconciler_calculateImageFromRepoTags)', () => {
    const spec: PolicySpec = { kind: 'alphabetical', pattern: '', order: 'asc' }
    expect(
      decide({ policy: createPolicy(spec), tags: ['xenial', 'yakkety', 'zesty', 'artful', 'bionic'] }).next,
    ).toBe('zesty')
  })

  it('lets glob and regex policies filter the extracted value too', () => {
    const glob = createPolicy({
      kind: 'glob',
      pattern: 'v1.*',
      filterTags: { pattern: '^app-(.*)$', extract: '$1' },
    })
    expect(['app-v1.2', 'app-v2.0', 'v1.3'].filter((tag) => glob.matches(tag))).toEqual(['app-v1.2'])
  })

  it('keeps exclusions and the latest rule on the tag itself', () => {
    const policy = createPolicy({ kind: 'alphabetical', pattern: '', filterTags: { pattern: '.*' } })
    expect(policy.rejection('latest')).toBe('latest')
    expect(policy.rejection('sha256-abc.sig')).toBe('excluded')
  })
})

describe('Go template expansion (regexp.Expand)', () => {
  const re = compileRe2('^(?P<major>\\d+)\\.(\\d+)(-(?P<pre>\\w+))?', 'test')
  const expand = (template: string, text = '1.22') => expandTemplate(template, re, re.exec(text) ?? [])

  it.each([
    ['$1', '1'],
    ['$2', '22'],
    ['$major-$2', '1-22'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Go template, not a JavaScript one
    ['${major}x', '1x'],
    ['$majorx', ''],
    ['$1x', ''],
    ['$$1', '$1'],
    ['$pre', ''],
    ['$9', ''],
    ['$01', ''],
    ['${major', '${major'],
    ['cost $', 'cost $'],
    ['$-', '$-'],
  ])('%j → %j', (template, expected) => {
    expect(expand(template)).toBe(expected)
  })
})
