// `imagebot policy` semantics, on fluxctl's calculatePolicyChanges (fluxcd/flux cmd/fluxctl/policy_cmd.go):
// --tag c='*' removes the filter, --unlock also drops locked_msg/locked_user, --tag-all covers the containers
// --tag does not name, and every filter is validated before anything is written.
import { describe, expect, it } from 'vitest'
import { policySteering } from './policy-verb.js'
import { VerbError } from './steer.js'
import { normalizeWorkloadId } from './workload-find.js'

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: prod
  annotations:
    fluxcd.io/locked: "true"
    fluxcd.io/locked_msg: "hold"
    fluxcd.io/locked_user: "ana"
    fluxcd.io/tag.web: "glob:v*"
spec:
  template:
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:v1
        - name: worker
          image: ghcr.io/acme/worker:v1
      initContainers:
        - name: migrate
          image: ghcr.io/acme/migrate:v1
`
const files = [
  { path: 'apps/api.yaml', text: DEPLOYMENT },
  { path: 'apps/other.yaml', text: 'kind: Deployment\nmetadata:\n  name: apx\n  namespace: prod\n' },
]
const ID = 'prod:deployment/api'

function annotations(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('    fluxcd.io/'))
    .map((line) => line.trim())
}

describe('policySteering', () => {
  it('unlocks with the lock message and user, and automates, in one commit', () => {
    const steering = policySteering(files, { workload: ID, unlock: true, automate: true })
    expect(annotations(steering.files.get('apps/api.yaml')!)).toEqual([
      'fluxcd.io/tag.web: "glob:v*"',
      'fluxcd.io/automated: "true"',
    ])
    expect(steering.message.split('\n')[0]).toBe('Policy of prod:deployment/api: automate, unlock')
    expect(steering.message).toContain('- apps/api.yaml: fluxcd.io/locked_user: "ana" → (none)')
    expect(steering.message.trimEnd().endsWith('Imagebot-Workload: prod:deployment/api')).toBe(true)
  })

  it("removes a filter set to '*' and gives --tag-all to the containers --tag does not name", () => {
    const steering = policySteering(files, { workload: ID, tags: ['web=*'], tagAll: 'semver:^1' })
    expect(annotations(steering.files.get('apps/api.yaml')!)).toEqual([
      'fluxcd.io/locked: "true"',
      'fluxcd.io/locked_msg: "hold"',
      'fluxcd.io/locked_user: "ana"',
      'fluxcd.io/tag.worker: "semver:^1"',
      'fluxcd.io/tag.migrate: "semver:^1"',
    ])
  })

  it('keeps = inside a filter (only the first = splits container from filter)', () => {
    const steering = policySteering(files, { workload: ID, tags: ['worker=regex:^v(?P<n>[0-9]+)$'] })
    expect(steering.files.get('apps/api.yaml')).toContain('fluxcd.io/tag.worker: "regex:^v(?P<n>[0-9]+)$"')
  })

  it('returns nothing to write when the workload already is as asked', () => {
    const steering = policySteering(files, { workload: ID, lock: true })
    expect(steering.files.size).toBe(0)
    expect(steering.summary).toEqual(['prod:deployment/api: already as asked, nothing to change'])
  })

  it('refuses unknown workloads and containers with a hint, invalid filters and contradictory flags', () => {
    const usage = (request: Parameters<typeof policySteering>[1]) => {
      try {
        policySteering(files, request)
      } catch (error) {
        expect(error).toBeInstanceOf(VerbError)
        expect((error as VerbError).kind).toBe('usage')
        return (error as VerbError).message
      }
      throw new Error('expected a VerbError')
    }
    expect(usage({ workload: 'prod:deployment/apj', lock: true })).toBe(
      'no workload prod:deployment/apj in the repository (did you mean prod:deployment/api?)',
    )
    expect(usage({ workload: 'dev:deployment/api', lock: true })).toContain(
      '(did you mean prod:deployment/api?)',
    )
    expect(usage({ workload: ID, tags: ['wrker=glob:*'] })).toBe(
      'prod:deployment/api has no container wrker (did you mean worker?); its containers: web, worker, migrate',
    )
    expect(usage({ workload: ID, tags: ['web=semver:~1.x.y'] })).toContain(
      '--tag web=semver:~1.x.y: invalid tag policy',
    )
    expect(usage({ workload: ID, tags: ['web'] })).toContain('expected container=filter')
    expect(usage({ workload: ID, automate: true, deautomate: true })).toContain('choose one')
    expect(usage({ workload: ID, message: 'why' })).toBe(
      '--message and --user describe a lock: give them with --lock',
    )
    expect(usage({ workload: ID })).toContain('nothing to do')
  })
})

describe('normalizeWorkloadId', () => {
  it('reads fluxctl ids: kind/name means the default namespace, kinds are case-insensitive', () => {
    expect(normalizeWorkloadId('deployment/api')).toBe('default:deployment/api')
    expect(normalizeWorkloadId('prod:Deployment/api')).toBe('prod:deployment/api')
    expect(() => normalizeWorkloadId('api')).toThrow(/expected namespace:kind\/name/)
  })
})
