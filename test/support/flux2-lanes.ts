// A small Flux v2 config repo for the branch and several-automation tests: one GitRepository, the podinfo
// ImageRepository, a staging and a production ImagePolicy, marker files under apps/staging and
// apps/production, and the ImageUpdateAutomations a test asks for. The podinfo images are the scenario's.
import { PODINFO } from './gitops-helm.js'

export const STAGING_FILE = 'apps/staging/podinfo.yaml'
export const PRODUCTION_FILE = 'apps/production/podinfo.yaml'
export const OBJECTS_FILE = 'clusters/staging/flux-system/images.yaml'

export interface AutomationSpec {
  name: string
  /** update.path, e.g. `./apps/staging`. */
  path: string
  author?: { name: string; email: string }
  messageTemplate?: string
  checkoutBranch?: string
  pushBranch?: string
  /** Extra lines under `spec.git` (for keys imagebot cannot honour), indented by four spaces. */
  gitExtra?: string
}

function automation(spec: AutomationSpec): string {
  const lines = [
    'apiVersion: image.toolkit.fluxcd.io/v1',
    'kind: ImageUpdateAutomation',
    'metadata:',
    `  name: ${spec.name}`,
    '  namespace: flux-system',
    'spec:',
    '  interval: 30m',
    '  sourceRef:',
    '    kind: GitRepository',
    '    name: flux-system',
    '  git:',
  ]
  if (spec.checkoutBranch) lines.push('    checkout:', '      ref:', `        branch: ${spec.checkoutBranch}`)
  lines.push('    commit:', '      author:')
  const author = spec.author ?? { name: 'fluxcdbot', email: 'fluxcdbot@users.noreply.github.com' }
  lines.push(`        name: ${author.name}`, `        email: ${author.email}`)
  if (spec.messageTemplate) lines.push(`      messageTemplate: ${JSON.stringify(spec.messageTemplate)}`)
  if (spec.pushBranch) lines.push('    push:', `      branch: ${spec.pushBranch}`)
  if (spec.gitExtra) lines.push(spec.gitExtra.replace(/\n$/, ''))
  lines.push('  update:', `    path: ${spec.path}`, '    strategy: Setters')
  return `${lines.join('\n')}\n`
}

export function laneFiles(
  repoUrl: string,
  automations: AutomationSpec[],
  options: { sourceBranch?: string; objectsFile?: string } = {},
): Record<string, string> {
  const objects = [
    `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m0s
  ref:
    branch: ${options.sourceBranch ?? 'main'}
  url: ${repoUrl}
`,
    `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata:
  name: podinfo
  namespace: flux-system
spec:
  image: ${PODINFO}
`,
    semverPolicy('podinfo-staging', '">=0.4.0"'),
    semverPolicy('podinfo-production', '~0.4.10'),
    ...automations.map(automation),
  ]
  return {
    [options.objectsFile ?? OBJECTS_FILE]: objects.join('---\n'),
    [STAGING_FILE]: deployment('staging', 'podinfo-staging'),
    [PRODUCTION_FILE]: deployment('production', 'podinfo-production'),
  }
}

/** An ImagePolicy on the podinfo ImageRepository; `range` as written in YAML. */
function semverPolicy(name: string, range: string): string {
  return `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: ${name}
  namespace: flux-system
spec:
  imageRepositoryRef:
    name: podinfo
  policy:
    semver:
      range: ${range}
`
}

function deployment(namespace: string, policy: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: podinfo
  namespace: ${namespace}
spec:
  template:
    spec:
      containers:
        - name: podinfo
          image: ${PODINFO}:0.4.10 # {"$imagepolicy": "flux-system:${policy}"}
`
}
