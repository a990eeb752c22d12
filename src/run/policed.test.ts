import { describe, expect, it } from 'vitest'
import { automatedDeployment } from '../../test/support/manifests.js'
import { discoverAll } from './discover.js'
import { attachPolicies, decideTarget, decisionsOfRun } from './policed.js'

function deployment(name: string, tag: string): string {
  return automatedDeployment({ name, image: `example/app:${tag}`, filter: 'semver:~1.0' })
}

describe('decisionsOfRun', () => {
  const files = [
    { path: 'a.yaml', text: deployment('a', '1.0.0') },
    { path: 'b.yaml', text: deployment('b', '1.0.0') },
    { path: 'c.yaml', text: deployment('c', '1.0.9') },
  ]
  const policed = attachPolicies(discoverAll(files).targets, undefined, [])
  const observation = {
    key: 'docker.io/example/app',
    tags: ['1.0.0', '1.0.5', '1.0.9', '2.0.0'],
    tagsSeen: 4,
    complete: true,
    metadata: new Map(),
    problems: [],
  }

  it('decides as decideTarget does, one decision per distinct question', () => {
    expect(policed).toHaveLength(3)
    const decide = decisionsOfRun()
    const [a, b, c] = policed.map((entry) => decide(entry, observation))
    policed.forEach((entry, index) => {
      expect([a, b, c][index]).toEqual(decideTarget(entry, observation))
    })
    expect(a?.next).toBe('1.0.9')
    // a and b ask the same question (same filter, image and current tag); c's current tag differs.
    expect(b).toBe(a)
    expect(c).not.toBe(a)
    expect(c?.next).toBeUndefined()
  })

  it('decides again for another observation of the same image', () => {
    const decide = decisionsOfRun()
    const first = decide(policed[0]!, observation)
    const later = decide(policed[0]!, { ...observation, tags: ['1.0.0', '1.0.7'] })
    expect(later).not.toBe(first)
    expect(later.next).toBe('1.0.7')
  })
})
