// scan.includeImages / scan.excludeImages through the plan (Flux v1 --registry-include-image and
// --registry-exclude-image): a filtered image is neither looked up nor updated, and it is reported as skipped.
import { describe, expect, it } from 'vitest'
import { type Observer, planFiles } from '../src/run/plan.js'
import { givenTags } from './support/given-tags.js'

const deployment = (name: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  annotations:
    fluxcd.io/automated: "true"
    fluxcd.io/tag.${name}: semver:^1
spec:
  template:
    spec:
      containers:
        - name: ${name}
          image: ${image}
`

const files = [
  { path: 'pause.yaml', text: deployment('pause', 'k8s.gcr.io/pause:1.0.0') },
  { path: 'api.yaml', text: deployment('api', 'ghcr.io/acme/api:1.0.0') },
]
const registry = givenTags({
  'k8s.gcr.io/pause': { tags: ['1.0.0', '1.1.0'] },
  'ghcr.io/acme/api': { tags: ['1.0.0', '1.2.0'] },
})

/** The given registry, remembering which repositories were asked for. */
function recording(asked: string[]): Observer {
  return (requests) => {
    asked.push(...requests.map((request) => request.key))
    return registry(requests)
  }
}

describe('plan with image include and exclude globs', () => {
  it('never looks up nor updates an excluded image, and says why it skipped it', async () => {
    const asked: string[] = []
    const plan = await planFiles(files, recording(asked), { excludeImages: ['k8s.gcr.io/*'] })
    expect(asked).toEqual(['ghcr.io/acme/api'])
    expect(plan.updates.map((update) => update.next)).toEqual(['ghcr.io/acme/api:1.2.0'])
    expect(plan.skipped).toEqual([
      {
        file: 'pause.yaml',
        workload: 'default:deployment/pause',
        container: 'pause',
        reason: 'image excluded by scan.excludeImages "k8s.gcr.io/*"',
      },
    ])
  })

  it('with inclusions, touches only included images', async () => {
    const asked: string[] = []
    const plan = await planFiles(files, recording(asked), { includeImages: ['k8s.gcr.io/*'] })
    expect(asked).toEqual(['k8s.gcr.io/pause'])
    expect(plan.updates.map((update) => update.next)).toEqual(['k8s.gcr.io/pause:1.1.0'])
    expect(plan.skipped.map((entry) => entry.reason)).toEqual([
      'image not in scan.includeImages (k8s.gcr.io/*)',
    ])
  })
})
