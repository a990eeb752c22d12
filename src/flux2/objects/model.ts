// The image.toolkit.fluxcd.io and source.toolkit.fluxcd.io objects as imagebot reads them from a config repo.
// Only what imagebot can honour is kept; what it cannot (credentials, providers) is reported where it is read.

import type { PolicySpec } from '../../../policies/spec.js'

export interface ObjectId {
  namespace: string
  name: string
  /** The file the object was read from. */
  file: string
}

export interface ImageRepositoryObject extends ObjectId {
  /** `spec.image` as written, e.g. `ghcr.io/stefanprodan/podinfo`. */
  image: string
  interval?: string
  /** RE2 patterns of tags never listed; Flux's default is `^.*\.sig$`. */
  exclusionList: string[]
  insecure: boolean
}

export interface ImagePolicyObject extends ObjectId {
  repository: { namespace: string; name: string }
  /** The compiled form for policies/; `label` is `flux:<ns>/<name>`. */
  spec: PolicySpec
  /** Write `name:tag@digest` for full-reference markers (digestReflectionPolicy Always or IfNotPresent). */
  reflectDigest: boolean
  labels: Record<string, string>
}

export interface LabelSelector {
  matchLabels: Record<string, string>
  matchExpressions: { key: string; operator: string; values: string[] }[]
}

export interface ImageUpdateAutomationObject extends ObjectId {
  sourceRef: { kind: string; namespace: string; name: string }
  /** `git.checkout.ref.branch`; the GitRepository's branch when absent. */
  checkoutBranch?: string
  author?: { name: string; email: string }
  messageTemplate?: string
  /** Set when messageTemplate uses something imagebot does not support (reported where it was read). */
  messageTemplateError?: string
  /** `git.push.branch`; pushes go to the checkout branch when absent. */
  pushBranch?: string
  /** `update.path` relative to the repository root, without `./`; '' is the whole repository. */
  path: string
  policySelector?: LabelSelector
}

export interface GitRepositoryObject extends ObjectId {
  url: string
  branch?: string
}

export interface FluxObjects {
  repositories: ImageRepositoryObject[]
  policies: ImagePolicyObject[]
  automations: ImageUpdateAutomationObject[]
  gitRepositories: GitRepositoryObject[]
}

export function emptyObjects(): FluxObjects {
  return { repositories: [], policies: [], automations: [], gitRepositories: [] }
}

export function objectKey(namespace: string, name: string): string {
  return `${namespace}/${name}`
}
