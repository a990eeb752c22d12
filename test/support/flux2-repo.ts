// A flux2-kustomize-helm-example style config repo: a base HelmRelease whose namespace comes from its
// kustomization, staging and production overlays that set the image through setter markers, and the
// image.toolkit objects in clusters/staging/flux-system. The podinfo images are the scenario's.
import { PODINFO } from './gitops-helm.js'

export const STAGING_VALUES = 'apps/staging/podinfo-values.yaml'
export const PRODUCTION_VALUES = 'apps/production/podinfo-values.yaml'

export const MESSAGE_TEMPLATE = `Automated image update

Automation name: {{ .AutomationObject }}

Files:
{{ range $filename, $_ := .Changed.FileChanges -}}
- {{ $filename }}
{{ end -}}

Changes:
{{ range .Changed.Changes -}}
- {{ .OldValue }} -> {{ .NewValue }} ({{ .Setter }})
{{ end -}}`

export function flux2Files(repoUrl: string): Record<string, string> {
  return {
    'apps/base/podinfo/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: podinfo
resources:
  - release.yaml
`,
    'apps/base/podinfo/release.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
spec:
  interval: 50m
  chart:
    spec:
      chart: podinfo
      version: ">=6.0.0"

  # The overlays decide the image; the base only names the chart.
  values:
    replicaCount: 2
`,
    'apps/staging/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../base/podinfo
patches:
  - path: podinfo-values.yaml
    target:
      kind: HelmRelease
`,
    [STAGING_VALUES]: `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
spec:
  values:
    image:
      repository: ${PODINFO}
      tag: "0.4.10"   # {"$imagepolicy": "flux-system:podinfo-staging:tag"}
`,
    'apps/production/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../base/podinfo
patchesStrategicMerge:
  - podinfo-values.yaml
`,
    [PRODUCTION_VALUES]: `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
spec:
  values:
    # pinned by digest in production
    image: ${PODINFO}:0.4.10 # {"$imagepolicy": "flux-system:podinfo-production"}
    sidecar:
      tag: 1.0.0
`,
    'clusters/staging/flux-system/gotk-sync.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m0s
  ref:
    branch: main
  url: ${repoUrl}
`,
    'clusters/staging/flux-system/image-automation.yaml': `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata:
  name: podinfo
  namespace: flux-system
spec:
  image: ${PODINFO}
  interval: 5m
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: podinfo-staging
  namespace: flux-system
spec:
  imageRepositoryRef:
    name: podinfo
  policy:
    semver:
      range: ">=0.4.0"
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: podinfo-production
  namespace: flux-system
spec:
  imageRepositoryRef:
    name: podinfo
  digestReflectionPolicy: Always
  interval: 10m
  policy:
    semver:
      range: ~0.4.10
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 30m
  sourceRef:
    kind: GitRepository
    name: flux-system
  git:
    checkout:
      ref:
        branch: main
    commit:
      author:
        email: fluxcdbot@users.noreply.github.com
        name: fluxcdbot
      messageTemplate: |
${MESSAGE_TEMPLATE.split('\n')
  .map((line) => (line ? `        ${line}` : ''))
  .join('\n')}
    push:
      branch: main
  update:
    path: ./apps
    strategy: Setters
`,
  }
}
