// Which policy a marker may use in which file: Flux applies an ImageUpdateAutomation to the files under its
// update.path, with the ImagePolicies of its own namespace that pass its policySelector. A tree without any
// ImageUpdateAutomation (the automation lives in another repo) lets markers use every policy in the tree.
// Where several automations cover a file, the target belongs to one of them, so that exactly one author and
// message template commit it: the one with the deepest update.path that may use the policy (then the first by
// namespace/name). Flux would let every covering automation write the file; the deepest is the most specific.

import type {
  FluxObjects,
  ImagePolicyObject,
  ImageRepositoryObject,
  ImageUpdateAutomationObject,
  LabelSelector,
} from './model.js'
import { objectKey } from './model.js'

export type Resolution =
  | { policy: ImagePolicyObject; repository: ImageRepositoryObject; automation?: ImageUpdateAutomationObject }
  | { notCovered: string }
  | { error: string }

export interface Coverage {
  resolve(file: string, namespace: string, name: string): Resolution
}

export function coverage(objects: FluxObjects): Coverage {
  const policies = new Map(
    objects.policies.map((policy) => [objectKey(policy.namespace, policy.name), policy]),
  )
  const repositories = new Map(
    objects.repositories.map((repo) => [objectKey(repo.namespace, repo.name), repo]),
  )
  return {
    resolve(file, namespace, name) {
      const covering = objects.automations
        .filter((automation) => isUnder(file, automation.path))
        .sort(deepestFirst)
      if (objects.automations.length > 0 && covering.length === 0) {
        const paths = objects.automations.map((a) => `${a.namespace}/${a.name}: ./${a.path}`).join(', ')
        return { notCovered: `no ImageUpdateAutomation's update.path covers this file (${paths})` }
      }
      const policy = policies.get(objectKey(namespace, name))
      if (!policy) return { error: `names ImagePolicy ${namespace}/${name}, which is not in the tree` }
      let automation: ImageUpdateAutomationObject | undefined
      if (covering.length > 0) {
        const sameNamespace = covering.filter((candidate) => candidate.namespace === namespace)
        if (sameNamespace.length === 0) {
          const names = covering.map((a) => `${a.namespace}/${a.name}`).join(', ')
          return {
            error: `is in namespace ${namespace}, but the ImageUpdateAutomation covering this file (${names}) uses only policies of its own namespace`,
          }
        }
        automation = sameNamespace.find((candidate) => selects(candidate.policySelector, policy.labels))
        if (!automation) {
          return {
            error: `names ImagePolicy ${namespace}/${name}, which no covering ImageUpdateAutomation's policySelector selects`,
          }
        }
      }
      const repoKey = objectKey(policy.repository.namespace, policy.repository.name)
      const repository = repositories.get(repoKey)
      if (!repository) {
        return {
          error: `names ImagePolicy ${namespace}/${name}, whose ImageRepository ${repoKey} is not in the tree`,
        }
      }
      return automation ? { policy, repository, automation } : { policy, repository }
    },
  }
}

function depth(path: string): number {
  return path === '' ? 0 : path.split('/').length
}

function deepestFirst(a: ImageUpdateAutomationObject, b: ImageUpdateAutomationObject): number {
  const byDepth = depth(b.path) - depth(a.path)
  if (byDepth !== 0) return byDepth
  const [left, right] = [objectKey(a.namespace, a.name), objectKey(b.namespace, b.name)]
  return left < right ? -1 : left > right ? 1 : 0
}

function isUnder(file: string, path: string): boolean {
  return path === '' || file === path || file.startsWith(`${path}/`)
}

/** Kubernetes label selector semantics; an absent selector selects every policy. */
export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true
  for (const [key, value] of Object.entries(selector.matchLabels)) if (labels[key] !== value) return false
  return selector.matchExpressions.every(({ key, operator, values }) => {
    const has = Object.hasOwn(labels, key)
    switch (operator) {
      case 'In':
        return has && values.includes(labels[key]!)
      case 'NotIn':
        return !has || !values.includes(labels[key]!)
      case 'Exists':
        return has
      case 'DoesNotExist':
        return !has
      default:
        return false
    }
  })
}
