// One plan split into one commit per owner: each ImageUpdateAutomation's marker targets, and imagebot.yaml's
// own (Flux v1 annotations). A file both edit is committed twice, each commit a byte-exact rewrite of the
// original with the edits of its owner and the owners before it.
import { describe, expect, it } from 'vitest'
import { CONFIG_OWNER, commitGroups } from '../src/run/commit-groups.js'
import { planFiles } from '../src/run/plan.js'
import { givenTags } from './support/given-tags.js'

const OBJECTS = `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata: { name: web, namespace: flux-system }
spec: { image: ghcr.io/acme/web }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata: { name: web, namespace: flux-system }
spec:
  imageRepositoryRef: { name: web }
  policy: { semver: { range: ">=1.0.0" } }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata: { name: apps, namespace: flux-system }
spec:
  sourceRef: { kind: GitRepository, name: flux-system }
  update: { path: ./apps }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata: { name: web, namespace: flux-system }
spec:
  sourceRef: { kind: GitRepository, name: flux-system }
  update: { path: ./apps/web }
`

const MIXED = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: web
  annotations:
    fluxcd.io/automated: "true"
    fluxcd.io/tag.api: semver:~2.0
spec:
  template:
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api:2.0.0
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.0.0 # {"$imagepolicy": "flux-system:web"}
`

const observer = givenTags({
  'ghcr.io/acme/api': { tags: ['2.0.0', '2.0.1'] },
  'ghcr.io/acme/web': { tags: ['1.0.0', '1.1.0'] },
})

describe('commitGroups', () => {
  it('gives each owner its own edits; a file both edit is rewritten once per owner, cumulatively', async () => {
    const plan = await planFiles(
      [
        { path: 'clusters/images.yaml', text: OBJECTS },
        { path: 'apps/web/web.yaml', text: MIXED },
      ],
      observer,
    )
    expect(plan.errors).toEqual([])
    const groups = commitGroups(plan, [CONFIG_OWNER, 'flux-system/apps', 'flux-system/web'])
    // The deeper update.path owns the marker; the automation on ./apps commits nothing.
    expect(groups.map((group) => group.owner)).toEqual([CONFIG_OWNER, 'flux-system/web'])
    const [v1, web] = groups.map((group) => group.result.files.get('apps/web/web.yaml')!)
    expect(v1!.changes.map((change) => change.newRef)).toEqual(['ghcr.io/acme/api:2.0.1'])
    expect(v1!.text).toBe(MIXED.replace('api:2.0.0', 'api:2.0.1'))
    expect(web!.changes.map((change) => change.newRef)).toEqual(['ghcr.io/acme/web:1.1.0'])
    expect(web!.text).toBe(MIXED.replace('api:2.0.0', 'api:2.0.1').replace('web:1.0.0', 'web:1.1.0'))
  })

  it("leaves out owners that are not asked for (another lane's), and their edits", async () => {
    const plan = await planFiles(
      [
        { path: 'clusters/images.yaml', text: OBJECTS },
        { path: 'apps/web/web.yaml', text: MIXED },
      ],
      observer,
    )
    const [web] = commitGroups(plan, ['flux-system/web'])
    expect(web!.result.files.get('apps/web/web.yaml')!.text).toBe(MIXED.replace('web:1.0.0', 'web:1.1.0'))
  })
})
