// One YAML document → a Flux object, or a problem saying what is wrong with it. Objects of other kinds are
// none of ours. Everything imagebot cannot honour is reported (once per object) with what to do instead.

import type { PolicySpec } from '../../../policies/spec.js'
import type { Problem } from '../../problems.js'
import { checkMessageTemplate, TemplateError } from '../template/index.js'
import { dig, type Json, record, stringMap, strings, text } from './fields.js'
import type { FluxObjects, ImageUpdateAutomationObject, LabelSelector, ObjectId } from './model.js'

const IMAGE_API = /^image\.toolkit\.fluxcd\.io\/(v1beta1|v1beta2|v1)$/
const SOURCE_API = /^source\.toolkit\.fluxcd\.io\/(v1beta1|v1beta2|v1)$/
/** Flux's default exclusion: cosign signatures. */
export const DEFAULT_EXCLUSION = ['^.*\\.sig$']

/** Whether a document is a Flux object we read; cheap, on its JS form. */
export function isFluxObject(value: unknown): boolean {
  const apiVersion = text(dig(value, 'apiVersion')) ?? ''
  return IMAGE_API.test(apiVersion) || SOURCE_API.test(apiVersion)
}

/** Adds the object in `value` (a document's JS form) to `into`; `namespace` applies when metadata has none. */
export function readObject(
  value: unknown,
  file: string,
  namespace: string,
  into: FluxObjects,
  problems: Problem[],
): void {
  const apiVersion = text(dig(value, 'apiVersion')) ?? ''
  const kind = text(dig(value, 'kind')) ?? ''
  const name = text(dig(value, 'metadata', 'name'))
  if (!name) return
  const id: ObjectId = { namespace: text(dig(value, 'metadata', 'namespace')) ?? namespace, name, file }
  const spec = record(dig(value, 'spec')) ?? {}
  const report = (message: string, severity: Problem['severity'] = 'error'): void => {
    problems.push({
      code: 'FLUX_OBJECT',
      file,
      severity,
      message: `${file}: ${kind} ${id.namespace}/${id.name}: ${message}`,
    })
  }
  if (IMAGE_API.test(apiVersion)) {
    if (kind === 'ImageRepository') readRepository(id, spec, into, report)
    else if (kind === 'ImagePolicy') readPolicy(id, spec, value, into, report)
    else if (kind === 'ImageUpdateAutomation') readAutomation(id, spec, into, report)
  } else if (SOURCE_API.test(apiVersion) && kind === 'GitRepository') {
    const url = text(spec.url)
    if (!url) {
      report('spec.url is missing')
      return
    }
    const branch = text(dig(spec, 'ref', 'branch'))
    into.gitRepositories.push({ ...id, url, ...(branch && { branch }) })
  }
}

type Report = (message: string, severity?: Problem['severity']) => void

function readRepository(id: ObjectId, spec: Json, into: FluxObjects, report: Report): void {
  const image = text(spec.image)
  if (!image) {
    report('spec.image is missing; the repository is not used')
    return
  }
  // Applied by every policy on this repository, beside imagebot's own scan.excludeTags globs.
  const exclusionList = strings(spec.exclusionList) ?? DEFAULT_EXCLUSION
  if (spec.exclusionList !== undefined && strings(spec.exclusionList) === undefined) {
    report('spec.exclusionList must be a list of strings; the default (^.*\\.sig$) applies')
  }
  for (const key of ['secretRef', 'certSecretRef', 'serviceAccountName', 'proxySecretRef']) {
    if (spec[key] !== undefined) {
      report(
        `spec.${key} is not read (no cluster); give the credentials for ${hostOf(image)} in imagebot.yaml (registries[].auth), a Docker config, or IMAGEBOT_REGISTRY_* variables`,
        'warning',
      )
    }
  }
  const provider = text(spec.provider)
  if (provider && provider !== 'generic') {
    report(
      `spec.provider ${provider} is not used (no cloud identity is read); give a token for ${hostOf(image)} in imagebot.yaml (registries[].auth) or a Docker config credential helper`,
      'warning',
    )
  }
  const insecure = spec.insecure === true
  if (insecure) {
    report(
      `spec.insecure: plain HTTP is used only when imagebot.yaml says so: registries: [{host: ${hostOf(image)}, endpoint: http://${hostOf(image)}}]`,
      'warning',
    )
  }
  const interval = text(spec.interval)
  into.repositories.push({ ...id, image, exclusionList, insecure, ...(interval && { interval }) })
}

function hostOf(image: string): string {
  const first = image.split('/')[0] ?? image
  return image.includes('/') && /[.:]|^localhost$/.test(first) ? first : 'docker.io'
}

function readPolicy(id: ObjectId, spec: Json, value: unknown, into: FluxObjects, report: Report): void {
  const repoName = text(dig(spec, 'imageRepositoryRef', 'name'))
  if (!repoName) {
    report('spec.imageRepositoryRef.name is missing; the policy is not used')
    return
  }
  const repoNamespace = text(dig(spec, 'imageRepositoryRef', 'namespace')) ?? id.namespace
  const policy = policySpecOf(record(spec.policy) ?? {}, `flux:${id.namespace}/${id.name}`)
  if ('error' in policy) {
    report(`${policy.error}; the policy is not used`)
    return
  }
  const pattern = text(dig(spec, 'filterTags', 'pattern'))
  const extract = text(dig(spec, 'filterTags', 'extract'))
  if (extract !== undefined && pattern === undefined) {
    report('spec.filterTags.extract needs spec.filterTags.pattern; the policy is not used')
    return
  }
  if (pattern !== undefined) policy.filterTags = { pattern, ...(extract !== undefined && { extract }) }
  const reflection = text(spec.digestReflectionPolicy) ?? 'Never'
  if (!['Never', 'Always', 'IfNotPresent'].includes(reflection)) {
    report(`spec.digestReflectionPolicy ${reflection} is not Never, Always or IfNotPresent`)
    return
  }
  into.policies.push({
    ...id,
    repository: { namespace: repoNamespace, name: repoName },
    spec: policy,
    reflectDigest: reflection !== 'Never',
    labels: stringMap(dig(value, 'metadata', 'labels')),
  })
}

/** `spec.policy` → the policies/ spec: exactly one of semver, alphabetical, numerical. */
export function policySpecOf(policy: Json, label: string): PolicySpec | { error: string } {
  const kinds = Object.keys(policy)
  if (kinds.length !== 1) {
    return {
      error: `spec.policy must name exactly one of semver, alphabetical, numerical (got ${kinds.join(', ') || 'none'})`,
    }
  }
  const kind = kinds[0]!
  const body = record(policy[kind]) ?? {}
  if (kind === 'semver') {
    const range = text(body.range)
    return range
      ? { kind: 'semver', pattern: range, label }
      : { error: 'spec.policy.semver.range is missing' }
  }
  if (kind === 'alphabetical' || kind === 'numerical') {
    const order = body.order ?? 'asc'
    if (order !== 'asc' && order !== 'desc') {
      return { error: `spec.policy.${kind}.order must be asc or desc, got ${String(order)}` }
    }
    return { kind, pattern: '', order, label }
  }
  return { error: `spec.policy.${kind} is not a Flux policy (semver, alphabetical, numerical)` }
}

function readAutomation(id: ObjectId, spec: Json, into: FluxObjects, report: Report): void {
  const sourceName = text(dig(spec, 'sourceRef', 'name'))
  if (!sourceName) {
    report('spec.sourceRef.name is missing; the automation is not used')
    return
  }
  const sourceKind = text(dig(spec, 'sourceRef', 'kind')) ?? 'GitRepository'
  if (sourceKind !== 'GitRepository') {
    report(`spec.sourceRef.kind ${sourceKind} is not GitRepository`)
    return
  }
  const strategy = text(dig(spec, 'update', 'strategy')) ?? 'Setters'
  if (strategy !== 'Setters') {
    report(`spec.update.strategy ${strategy} is not Setters; the automation is not used`)
    return
  }
  const automation: ImageUpdateAutomationObject = {
    ...id,
    sourceRef: {
      kind: sourceKind,
      name: sourceName,
      namespace: text(dig(spec, 'sourceRef', 'namespace')) ?? id.namespace,
    },
    path: normalizeUpdatePath(text(dig(spec, 'update', 'path')) ?? ''),
  }
  const git = record(spec.git) ?? {}
  const checkoutBranch = text(dig(git, 'checkout', 'ref', 'branch'))
  if (checkoutBranch) automation.checkoutBranch = checkoutBranch
  // imagebot builds on a branch head and pushes without force, so a tag, semver range or commit cannot be
  // the base: the branch is used instead, and the key is reported rather than silently dropped.
  for (const ref of ['tag', 'semver', 'commit', 'name']) {
    if (dig(git, 'checkout', 'ref', ref) !== undefined) {
      report(
        `spec.git.checkout.ref.${ref} is not supported (imagebot checks out a branch); the ${checkoutBranch ? 'spec.git.checkout.ref.branch' : "GitRepository's spec.ref.branch (else repositories[].branch)"} is used: set spec.git.checkout.ref.branch, or repositories[].branch in imagebot.yaml`,
        'warning',
      )
    }
  }
  const authorName = text(dig(git, 'commit', 'author', 'name'))
  const authorEmail = text(dig(git, 'commit', 'author', 'email'))
  if (authorName || authorEmail) {
    automation.author = {
      name: authorName ?? 'imagebot',
      email: authorEmail ?? 'imagebot@users.noreply.github.com',
    }
  }
  const template = dig(git, 'commit', 'messageTemplate')
  if (typeof template === 'string' && template.trim() !== '') {
    automation.messageTemplate = template
    try {
      checkMessageTemplate(template)
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error
      automation.messageTemplateError = error.message
      report(
        `spec.git.commit.${error.message}; nothing is committed until it is fixed (or commit.message in imagebot.yaml replaces it)`,
      )
    }
  }
  if (dig(git, 'commit', 'signingKey') !== undefined) {
    report(
      'spec.git.commit.signingKey is not read (no cluster); set repositories[].commit.signingKey in imagebot.yaml to sign',
      'warning',
    )
  }
  const pushBranch = text(dig(git, 'push', 'branch'))
  if (pushBranch) automation.pushBranch = pushBranch
  if (dig(git, 'push', 'refspec') !== undefined) {
    report(
      `spec.git.push.refspec is not supported; imagebot pushes only to ${pushBranch ? `spec.git.push.branch (${pushBranch})` : 'the checkout branch'}: set spec.git.push.branch, or repositories[].pushBranch in imagebot.yaml`,
      'warning',
    )
  }
  const selector = record(spec.policySelector)
  if (selector) automation.policySelector = labelSelector(selector)
  into.automations.push(automation)
}

function labelSelector(selector: Json): LabelSelector {
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []
  return {
    matchLabels: stringMap(selector.matchLabels),
    matchExpressions: expressions.map((entry) => ({
      key: text(dig(entry, 'key')) ?? '',
      operator: text(dig(entry, 'operator')) ?? '',
      values: strings(dig(entry, 'values')) ?? [],
    })),
  }
}

/** `./apps/staging/` → `apps/staging`; `./` and `.` → ''. */
export function normalizeUpdatePath(path: string): string {
  let trimmed = path.trim().replace(/\\/g, '/')
  while (trimmed.startsWith('./')) trimmed = trimmed.slice(2)
  trimmed = trimmed.replace(/^\/+|\/+$/g, '')
  return trimmed === '.' ? '' : trimmed
}
