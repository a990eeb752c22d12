import { describe, expect, it } from 'vitest'
import { discover } from './discover.js'
import { targetsReport } from './report.js'

const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    fluxcd.io/automated: "true"
    fluxcd.io/tag.app: semver:~1.2
spec:
  template:
    spec:
      containers:
      - name: app
        image: example/app:1.2.0
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: manual
spec:
  template:
    spec:
      containers:
      - name: app
        image: example/app:1.0.0
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: frozen
  annotations:
    fluxcd.io/automated: "true"
    fluxcd.io/locked: "true"
spec:
  template:
    spec:
      containers:
      - name: app
        image: example/app:1.0.0
`

describe('targetsReport', () => {
  const discovery = discover([
    { path: 'apps.yaml', text },
    { path: 'broken.yaml', text: 'fluxcd.io/automated: [' },
  ])

  it('gives the targets --json shape', () => {
    const report = targetsReport(discovery)
    expect(report.targets).toEqual([
      {
        file: 'apps.yaml',
        workload: 'default:deployment/web',
        container: 'app',
        image: 'example/app:1.2.0',
        policy: 'semver:~1.2',
      },
    ])
    expect(report.skipped).toEqual([
      { file: 'apps.yaml', workload: 'default:deployment/frozen', container: 'app', reason: 'locked' },
    ])
    expect(report.errors).toHaveLength(1)
    expect(report.errors[0]?.file).toBe('broken.yaml')
    expect(JSON.parse(JSON.stringify(report))).toEqual(report)
  })

  it('lists workloads without automation only with all', () => {
    const reasons = targetsReport(discovery, { all: true }).skipped.map((entry) => entry.reason)
    expect(reasons).toEqual(['not automated', 'locked'])
  })
})
