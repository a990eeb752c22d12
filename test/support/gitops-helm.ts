// The config repo from our users' guide (the gitops-helm layout): namespaces/, releases per environment, a
// chart kept in git whose templates must be skipped, and an unrelated workload with no automation.
// Used by the end-to-end tests, the demo and the pipeline benchmark.

export const PODINFO = 'stefanprodan/podinfo'

function podinfoRelease(env: string, filter: string, tag: string): string {
  return `---
apiVersion: flux.weave.works/v1beta1
kind: HelmRelease
metadata:
  name: podinfo-${env}
  namespace: ${env}
  annotations:
    flux.weave.works/automated: "true"
    flux.weave.works/tag.chart-image: ${filter}
spec:
  releaseName: podinfo-${env}
  chart:
    git: https://github.com/stefanprodan/gitops-helm
    path: charts/podinfo
    ref: master
  values:
    image:
      repository: ${PODINFO}
      tag: ${tag} # set by imagebot
    replicaCount: 2 # keep two for ${env}
    hpa:
      enabled: true
      maxReplicas: 10

      cpu: 80
`
}

/** A Deployment with one automated container, for tests that add a workload of their own. */
export function automatedDeployment(
  name: string,
  namespace: string,
  container: string,
  image: string,
): string {
  const meta = { name, namespace, annotations: { 'fluxcd.io/automated': 'true' } }
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata: ${JSON.stringify(meta)}\nspec:\n  template:\n    spec:\n      containers:\n        - { name: ${container}, image: ${image} }\n`
}

/** The files of the seeded config repo; tags are the state before CI pushes anything new. */
export function gitopsHelmFiles(): Record<string, string> {
  return {
    'README.md': '# gitops-helm\n\nCluster state for dev, stg and prod.\n',
    'namespaces/dev.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n',
    'namespaces/stg.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: stg\n',
    'namespaces/prod.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n',
    'releases/dev/podinfo.yaml': podinfoRelease('dev', 'glob:dev-*', 'dev-kb9lm91e'),
    'releases/stg/podinfo.yaml': podinfoRelease('stg', 'glob:stg-*', 'stg-9ij63o4c'),
    'releases/prod/podinfo.yaml': podinfoRelease('prod', 'semver:~0.4', '0.4.10'),
    'charts/podinfo/Chart.yaml': 'apiVersion: v1\nname: podinfo\nversion: 0.2.0\n',
    'charts/podinfo/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ template "podinfo.fullname" . }}
  annotations:
    fluxcd.io/automated: "true"
spec:
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
`,
    'releases/prod/redis.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis
  namespace: prod
spec:
  template:
    spec:
      containers:
        - name: redis
          image: redis:7.2.4
`,
  }
}

/** Tags CI has pushed before the bot first runs, oldest build first. */
export const SEED_TAGS = ['dev-kb9lm91e', 'stg-9ij63o4c', '0.4.10']

/** Tags CI pushes afterwards, oldest build first; the newest dev and stg builds and 0.4.12 must win. */
export const CI_TAGS = [
  'dev-3a7c1e09',
  'stg-51bd6c2f',
  '0.4.11',
  'dev-1f3e9a27',
  'stg-0c9f7d13',
  '0.4.12',
  '0.5.0',
]

export const EXPECTED_TAGS = { dev: 'dev-1f3e9a27', stg: 'stg-0c9f7d13', prod: '0.4.12' }
