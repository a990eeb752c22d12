// Small manifests that tests and benchmarks write: a Deployment automated by Flux v1 annotations.

export interface AutomatedDeployment {
  name: string
  /** The container's image reference, tag included. */
  image: string
  /** The filter annotation's value for container `app`, e.g. `semver:~1.0` or `glob:main-*`. */
  filter: string
  namespace?: string
}

export function automatedDeployment({ name, image, filter, namespace }: AutomatedDeployment): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${namespace === undefined ? '' : `  namespace: ${namespace}\n`}  annotations:
    fluxcd.io/automated: "true"
    filter.fluxcd.io/app: ${filter}
spec:
  template:
    spec:
      containers:
      - name: app
        image: ${image}
`
}
