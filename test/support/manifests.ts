// Small manifests that tests and benchmarks write: a Deployment automated by Flux v1 annotations.

export interface AutomatedDeployment {
  name: string
  /** The container's image reference, tag included. */
  image: string
  /** The filter annotation's value for container `app`, e.g. `semver:~1.0` or `glob:main-*`; none when absent. */
  filter?: string
  namespace?: string
  /** More annotations, written as they are after the others: `{ 'fluxcd.io/locked': '"true"' }`. */
  annotations?: Record<string, string>
}

export function automatedDeployment(deployment: AutomatedDeployment): string {
  const { name, image, filter, namespace, annotations = {} } = deployment
  const more = Object.entries(
    filter === undefined ? annotations : { 'filter.fluxcd.io/app': filter, ...annotations },
  )
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${namespace === undefined ? '' : `  namespace: ${namespace}\n`}  annotations:
    fluxcd.io/automated: "true"
${more.map(([key, value]) => `    ${key}: ${value}\n`).join('')}spec:
  template:
    spec:
      containers:
      - name: app
        image: ${image}
`
}
