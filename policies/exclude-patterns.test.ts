// Flux v2 ImageRepository `exclusionList`: RE2 patterns of tags the reflector never lists (default
// `^.*\.sig$`, image-reflector-controller api ImageRepositorySpec). imagebot applies them per policy,
// beside its own exclusion globs, so an excluded tag is never a candidate and the reason says why.
import { describe, expect, it } from 'vitest'
import { createPolicy } from './factory.js'
import { PolicyError } from './policy.js'
import { decide } from './select.js'
import type { PolicySpec } from './spec.js'

const spec: PolicySpec = {
  kind: 'alphabetical',
  pattern: '',
  label: 'flux:apps/app',
  excludePatterns: ['^.*\\.sig$', '-debug$'],
}

describe('exclusion patterns', () => {
  it('make matching tags excluded, unanchored as Go regexp', () => {
    const policy = createPolicy(spec)
    expect(policy.rejection('main-3-debug')).toBe('excluded')
    expect(policy.rejection('main-3.sig')).toBe('excluded')
    expect(policy.rejection('main-3-debugger')).toBeUndefined()
    expect(policy.rejection('main-3')).toBeUndefined()
  })

  it('keep an excluded tag from winning, and name the list when nothing else is left', () => {
    const moved = decide({
      policy: createPolicy(spec),
      currentTag: 'main-1',
      tags: ['main-1', 'main-2', 'main-3-debug'],
    })
    expect(moved.next).toBe('main-2')
    const none = decide({ policy: createPolicy(spec), tags: ['a-debug', 'b-debug'] })
    expect(none.next).toBeUndefined()
    expect(none.reason).toContain('exclusionList ^.*\\.sig$, -debug$')
  })

  it('are part of the policy identity and validated as RE2', () => {
    expect(createPolicy(spec)).not.toBe(createPolicy({ ...spec, excludePatterns: ['-debug$'] }))
    expect(() => createPolicy({ ...spec, excludePatterns: ['(?=x)'] })).toThrow(PolicyError)
  })
})
