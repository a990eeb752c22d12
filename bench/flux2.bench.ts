// Flux v2 planning without registries or git: files in, discovery of markers and objects, decisions on
// given tags, byte-exact rewrites out (with verification), as `imagebot plan` runs them.
// 1. 10,000 files of which 1% carry setter markers (the rest are screened out before parsing).
// 2. A repository with 1,000 marker targets (500 files with a name and a tag marker each).

import type { ManifestFile } from '../src/manifests/index.js'
import type { RepositoryObservation } from '../src/registry/observe.js'
import { type Observer, planFiles } from '../src/run/plan.js'
import type { Bench, BenchFigure } from './figure.js'

const IMAGES = 50
const TAGS = Array.from({ length: 30 }, (_, i) => `1.${Math.floor(i / 10)}.${i % 10}`)

function objects(): ManifestFile {
  const docs: string[] = []
  for (let i = 0; i < IMAGES; i++) {
    docs.push(`apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata:
  name: app-${i}
  namespace: flux-system
spec:
  image: ghcr.io/example/app-${i}
  interval: 5m
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: app-${i}
  namespace: flux-system
spec:
  imageRepositoryRef:
    name: app-${i}
  policy:
    semver:
      range: ">=1.0.0"`)
  }
  docs.push(`apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata:
  name: apps
  namespace: flux-system
spec:
  sourceRef:
    kind: GitRepository
    name: flux-system
  update:
    path: ./apps
    strategy: Setters`)
  return { path: 'clusters/prod/flux-system/images.yaml', text: `${docs.join('\n---\n')}\n` }
}

function marked(index: number, markers: 1 | 2): ManifestFile {
  const app = `app-${index % IMAGES}`
  const image =
    markers === 1
      ? `        image: ghcr.io/example/${app}:1.0.0 # {"$imagepolicy": "flux-system:${app}"}`
      : `        image:
          repository: registry.example/old/${app} # {"$imagepolicy": "flux-system:${app}:name"}
          tag: 1.0.0 # {"$imagepolicy": "flux-system:${app}:tag"}`
  return {
    path: `apps/team-${index % 20}/${app}-${index}.yaml`,
    text: `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${app}-${index}
  namespace: team-${index % 20}
spec:
  interval: 10m
  chart:
    spec:
      chart: app
      version: 1.x
  values:
    replicaCount: 2
    app:
${image}
`,
  }
}

function plain(index: number): ManifestFile {
  return {
    path: `apps/team-${index % 20}/service-${index}.yaml`,
    text: `apiVersion: v1
kind: Service
metadata:
  name: service-${index}
  namespace: team-${index % 20}
spec:
  ports:
    - port: 80
      targetPort: 8080
  selector:
    app: service-${index}
`,
  }
}

const givenTags: Observer = async (requests) =>
  new Map(
    requests.map(({ key }): [string, RepositoryObservation] => [
      key,
      { key, tags: TAGS, tagsSeen: TAGS.length, metadata: new Map(), problems: [] },
    ]),
  )

async function timed(files: ManifestFile[]): Promise<{ seconds: number; updates: number; errors: number }> {
  const started = performance.now()
  const plan = await planFiles(files, givenTags)
  return {
    seconds: (performance.now() - started) / 1000,
    updates: plan.updates.length,
    errors: plan.errors.length,
  }
}

export const run: Bench = async () => {
  const figures: BenchFigure[] = []
  const mixed = [
    objects(),
    ...Array.from({ length: 10_000 }, (_, i) => (i % 100 === 0 ? marked(i, 1) : plain(i))),
  ]
  const first = await timed(mixed)
  if (first.updates !== 100 || first.errors !== 0) {
    throw new Error(`expected 100 updates and no errors, got ${first.updates} and ${first.errors}`)
  }
  figures.push({
    name: 'plan 10,000 files, 1% with markers (100 updates)',
    value: first.seconds,
    unit: 's',
    bound: '< 0.3 s',
    ok: first.seconds < 0.3,
  })
  const many = [objects(), ...Array.from({ length: 500 }, (_, i) => marked(i, 2))]
  const second = await timed(many)
  if (second.updates !== 1000 || second.errors !== 0) {
    throw new Error(`expected 1,000 updates and no errors, got ${second.updates} and ${second.errors}`)
  }
  figures.push({
    name: 'plan 1,000 marker targets (500 files, name + tag markers, all move)',
    value: second.seconds,
    unit: 's',
    bound: '< 0.5 s',
    ok: second.seconds < 0.5,
  })
  return figures
}
