// Flux v1's workload update table, as our own cases: each input is a manifest shape from
// fluxcd/flux@c2317f81 pkg/cluster/kubernetes/update_test.go TestWorkloadContainerUpdates (the case name
// is the test's), the outcome is the image Flux wrote. Flux applied the update to the named container
// whatever the annotations; imagebot updates automated workloads only, so each input carries
// `fluxcd.io/automated: "true"` where the original had none. Where kubeyaml reformatted the file
// (re-indented a 1-space map, re-aligned a line comment), imagebot keeps the layout: only the image
// bytes change, and the case says so.

import { describe, expect, it } from 'vitest'
import { formatPolicySpec } from '../policies/spec.js'
import { discover } from '../src/manifests/index.js'
import { rewriteFile } from '../src/rewrite/index.js'

interface UpdateCase {
  name: string
  text: string
  workload: string
  containers: string[]
  newRef: string
  /** The file imagebot writes: the input with these replacements, nothing else. */
  replace: [string, string][]
}

const AUTOMATED = '  annotations:\n    fluxcd.io/automated: "true"\n'

function deployment(name: string, spec: string, meta = ''): string {
  return `---\napiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: ${name}\n${meta}${AUTOMATED}spec:\n  replicas: 1\n  template:\n    metadata:\n      labels:\n        name: ${name}\n    spec:\n${spec}`
}

const CASES: UpdateCase[] = [
  {
    name: 'common case',
    text: deployment(
      'pr-assigner',
      '      imagePullSecrets:\n      - name: quay-secret\n      containers:\n      - name: pr-assigner\n        image: quay.io/weaveworks/pr-assigner:master-6f5e816\n        imagePullPolicy: IfNotPresent\n        args:\n        - --conf_path=/config/pr-assigner.json\n',
      '  namespace: extra\n',
    ),
    workload: 'extra:deployment/pr-assigner',
    containers: ['pr-assigner'],
    newRef: 'quay.io/weaveworks/pr-assigner:master-1234567',
    replace: [['pr-assigner:master-6f5e816', 'pr-assigner:master-1234567']],
  },
  {
    // A tag of digits only must stay a string: written plain, `1234567` is still a valid string tag
    // inside `repo:tag`, so no quotes are needed.
    name: 'new version like number',
    text: deployment(
      'fluxy',
      '      containers:\n      - name: fluxy\n        image: weaveworks/fluxy:master-a000001\n        imagePullPolicy: Never # must build manually\n        ports:\n        - containerPort: 3030\n',
    ),
    workload: 'default:deployment/fluxy',
    containers: ['fluxy'],
    newRef: 'weaveworks/fluxy:1234567',
    replace: [['fluxy:master-a000001', 'fluxy:1234567']],
  },
  {
    name: 'old version like number',
    text: deployment(
      'fluxy',
      '      containers:\n      - name: fluxy\n        image: weaveworks/fluxy:1234567\n        imagePullPolicy: Never # must build manually\n',
    ),
    workload: 'default:deployment/fluxy',
    containers: ['fluxy'],
    newRef: 'weaveworks/fluxy:master-a000001',
    replace: [['fluxy:1234567', 'fluxy:master-a000001']],
  },
  {
    // kubeyaml re-indented the 1-space metadata map to 2 spaces; imagebot leaves it as written.
    name: 'name label out of order',
    text: `---\napiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n namespace: monitoring\n name: grafana # comment, and only one space indent\n annotations:\n  fluxcd.io/automated: "true"\nspec:\n  template:\n    spec:\n      containers:\n      - name: grafana\n        image: quay.io/weaveworks/grafana:master-ac5658a\n        imagePullPolicy: IfNotPresent\n      - name: gfdatasource\n        image: quay.io/weaveworks/gfdatasource:master-e50ecf2\n`,
    workload: 'monitoring:deployment/grafana',
    containers: ['grafana'],
    newRef: 'quay.io/weaveworks/grafana:master-37aaf67',
    replace: [['grafana:master-ac5658a', 'grafana:master-37aaf67']],
  },
  {
    name: 'version (tag) with dots',
    text: deployment(
      'front-end',
      '      containers:\n      - name: front-end\n        image: weaveworksdemos/front-end:v_0.2.0\n        securityContext:\n          capabilities:\n            drop:\n            - all\n',
      '  namespace: sock-shop\n',
    ),
    workload: 'sock-shop:deployment/front-end',
    containers: ['front-end'],
    newRef: 'weaveworksdemos/front-end:7f511af2d21fd601b86b3bed7baa6adfa9c8c669',
    replace: [['front-end:v_0.2.0', 'front-end:7f511af2d21fd601b86b3bed7baa6adfa9c8c669']],
  },
  {
    name: 'minimal dockerhub image name',
    text: deployment(
      'nginx',
      '      containers:\n      - name: nginx\n        image: nginx\n        ports:\n        - containerPort: 80\n',
    ),
    workload: 'default:deployment/nginx',
    containers: ['nginx'],
    newRef: 'nginx:1.10-alpine',
    replace: [['image: nginx\n', 'image: nginx:1.10-alpine\n']],
  },
  {
    // kubeyaml padded the line comment to keep its column; imagebot keeps the single space.
    name: 'reordered keys',
    text: deployment(
      'nginx',
      '      containers:\n      - ports:\n        - containerPort: 80\n        image: nginx\n        name: nginx\n      - image: nginx:some-other-tag # testing comments, and this image is on the first line.\n        name: nginx2\n',
    ),
    workload: 'default:deployment/nginx',
    containers: ['nginx', 'nginx2'],
    newRef: 'nginx:1.10-alpine',
    replace: [
      ['image: nginx\n', 'image: nginx:1.10-alpine\n'],
      ['nginx:some-other-tag #', 'nginx:1.10-alpine #'],
    ],
  },
  {
    name: 'from prod',
    text: `---\napiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: authfe\n${AUTOMATED}spec:\n\n  # A couple of comment lines after a blank line\n  # since that's essentially what we have elsewhere\n  minReadySeconds: 30\n\n  replicas: 5\n  template:\n    metadata:\n      annotations:\n        prometheus.io/port: "8080"\n    spec:\n      # blank comment spacers in the following\n      containers:\n      - name: authfe\n        image: quay.io/weaveworks/authfe:master-71a4ede\n        args:\n        - -log.level=info\n        #\n        # Can have a comment here\n        - -log.blargle=false\n        #\n      #\n      - name: logging\n        image: quay.io/weaveworks/logging:master-ccfa2af\n        env:\n        - name: FLUENTD_CONF\n          value: fluent.conf\n`,
    workload: 'default:deployment/authfe',
    containers: ['logging'],
    newRef: 'quay.io/weaveworks/logging:master-123456',
    replace: [['logging:master-ccfa2af', 'logging:master-123456']],
  },
  {
    name: 'single quotes',
    text: deployment(
      'weave',
      "      containers:\n      - name: weave\n        image: 'weaveworks/weave-kube:2.2.0'\n",
    ),
    workload: 'default:deployment/weave',
    containers: ['weave'],
    newRef: 'weaveworks/weave-kube:2.2.1',
    replace: [["'weaveworks/weave-kube:2.2.0'", "'weaveworks/weave-kube:2.2.1'"]],
  },
  {
    name: 'in multidoc',
    text: `---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: hello\n${deployment('helloworld', '      containers:\n      - name: helloworld\n        image: quay.io/weaveworks/helloworld:master-07a1b6b\n        args:\n        - -msg=Bilbo Baggins\n      - name: sidecar\n        image: quay.io/weaveworks/sidecar:master-a000002\n', '  namespace: hello\n')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: helloworld\n  namespace: hello\n`,
    workload: 'hello:deployment/helloworld',
    containers: ['helloworld'],
    newRef: 'quay.io/weaveworks/helloworld:master-a000001',
    replace: [['helloworld:master-07a1b6b', 'helloworld:master-a000001']],
  },
  {
    name: 'in kubernetes List resource',
    text: `---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: hello\n- apiVersion: extensions/v1beta1\n  kind: Deployment\n  metadata:\n    annotations:\n      some.other.com/foo: bar\n      fluxcd.io/automated: "true"\n    name: helloworld\n    namespace: hello\n  spec:\n    template:\n      spec:\n        containers:\n        - name: helloworld\n          image: quay.io/weaveworks/helloworld:master-07a1b6b\n          args:\n          - -msg=Bilbo Baggins\n        - name: sidecar\n          image: quay.io/weaveworks/sidecar:master-a000002\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: helloworld\n    namespace: hello\n`,
    workload: 'hello:deployment/helloworld',
    containers: ['helloworld'],
    newRef: 'quay.io/weaveworks/helloworld:master-a000001',
    replace: [['helloworld:master-07a1b6b', 'helloworld:master-a000001']],
  },
  {
    // Flux applied a ContainerImageMap given by the test; imagebot reads the same mapping from the
    // repository.fluxcd.io/tag.fluxcd.io annotations, the way users wrote it in their releases.
    name: 'HelmRelease (v1; with image map)',
    text: `---\napiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nmetadata:\n  name: mariadb\n  namespace: maria\n  annotations:\n    fluxcd.io/automated: "true"\n    repository.fluxcd.io/custom: mariadb.customImage\n    tag.fluxcd.io/custom: mariadb.customTag\nspec:\n  chart:\n    repository: https://example.com/charts\n    name: mariadb\n    version: 1.1.2\n  values:\n    mariadb:\n      customImage: localhost:5000/mariadb\n      customTag: 10.1.30-r1\n      persistence:\n        enabled: false\n    workProperly: true\n    sidecar:\n      image: sidecar:v1\n`,
    workload: 'maria:helmrelease/mariadb',
    containers: ['custom'],
    newRef: 'localhost:5000/mariadb:10.1.33',
    replace: [['customTag: 10.1.30-r1', 'customTag: 10.1.33']],
  },
  {
    name: 'initContainer',
    text: deployment(
      'weave',
      "      initContainers:\n      - name: weave\n        image: 'weaveworks/weave-kube:2.2.0'\n",
    ),
    workload: 'default:deployment/weave',
    containers: ['weave'],
    newRef: 'weaveworks/weave-kube:2.2.1',
    replace: [["'weaveworks/weave-kube:2.2.0'", "'weaveworks/weave-kube:2.2.1'"]],
  },
]

describe('Flux v1 TestWorkloadContainerUpdates cases', () => {
  it.each(CASES)('$name', ({ text, workload, containers, newRef, replace }) => {
    const discovery = discover([{ path: 'w.yaml', text }])
    expect(discovery.problems).toEqual([])
    const edits = containers.map((container) => {
      const target = discovery.targets.find((t) => t.workload === workload && t.container === container)
      if (!target) throw new Error(`no target ${workload} ${container}`)
      const newTag = newRef.slice(newRef.lastIndexOf(':') + 1)
      return { target, newTag, policy: formatPolicySpec(target.policy) }
    })
    const result = rewriteFile('w.yaml', text, edits)
    expect(result.problems).toEqual([])
    const expected = replace.reduce((out, [from, to]) => {
      expect(out).toContain(from)
      return out.replace(from, to)
    }, text)
    expect(result.text).toBe(expected)
    expect(result.changes.map((change) => change.newRef)).toEqual(containers.map(() => newRef))
  })
})

// squaremo/kubeyaml test_kubeyaml.py test_image_update (a hypothesis property): for Deployment,
// DaemonSet, StatefulSet and CronJob, with or without a namespace, updating the first container's
// image leaves as many containers as before and that container with the new image. kubeyaml
// re-serialised the whole document; imagebot changes only the image bytes, which the test checks.
describe('kubeyaml test_image_update shapes', () => {
  const podTemplate = (indent: string) =>
    `${indent}template:\n${indent}  spec:\n${indent}    containers:\n${indent}    - name: first\n${indent}      image: registry.example.com:5000/team/app__x/svc:1.0\n${indent}    - name: second\n${indent}      image: busybox:1.36\n`
  it.each([
    ['Deployment', 'spec:\n' + podTemplate('  ')],
    ['DaemonSet', 'spec:\n' + podTemplate('  ')],
    ['StatefulSet', 'spec:\n' + podTemplate('  ')],
    ['CronJob', 'spec:\n  jobTemplate:\n    spec:\n' + podTemplate('      ')],
  ])('%s', (kind, spec) => {
    for (const namespace of ['', '  namespace: ns1\n']) {
      const text = `kind: ${kind}\nmetadata:\n  name: wl\n${namespace}${AUTOMATED}${spec}`
      const discovery = discover([{ path: 'k.yaml', text }])
      expect(discovery.targets.map((t) => t.workload)).toEqual([
        `${namespace ? 'ns1' : 'default'}:${kind.toLowerCase()}/wl`,
        `${namespace ? 'ns1' : 'default'}:${kind.toLowerCase()}/wl`,
      ])
      const first = discovery.targets.find((t) => t.container === 'first')!
      const result = rewriteFile('k.yaml', text, [{ target: first, newTag: '1.1', policy: 'glob:*' }])
      expect(result.text).toBe(text.replace('svc:1.0\n', 'svc:1.1\n'))
    }
  })
})
