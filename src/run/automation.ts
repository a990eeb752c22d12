// What the ImageUpdateAutomations read from the repository say about committing there.
//
// Branches (lanes): a branch imagebot.yaml sets itself wins, and an automation that names another is reported
// with the key to set. Where imagebot.yaml leaves `branch` / `pushBranch` unset, each automation decides, as
// Flux does: it checks out `git.checkout.ref.branch`, else its GitRepository's `spec.ref.branch`, and pushes
// to `git.push.branch`, else the branch it checked out. Automations that check out and push the same branches
// share a lane: one read, one push. The lane of imagebot.yaml's own branches always comes first; it also
// carries whatever no automation owns (Flux v1 annotations, markers in a tree without automations).
//
// Identity: imagebot.yaml wins where it sets a key (commit.author other than the default, commit.message);
// the automation fills in the rest, for its own targets only.

import { DEFAULT_AUTHOR } from '../config/index.js'
import type { FluxObjects, ImageUpdateAutomationObject } from '../flux2/index.js'
import { renderMessageTemplate } from '../flux2/template/index.js'
import type { Problem } from '../problems.js'
import type { UpdateResult } from '../types.js'

export interface AutomationCommit {
  author?: { name: string; email: string }
  render?: (result: UpdateResult) => string
  /** A messageTemplate that cannot be rendered: nothing of this automation may be committed. */
  blocking: Problem[]
}

export interface RepositoryIdentity {
  url: string
  branch: string
  pushBranch: string
  /** imagebot.yaml names `branch` itself: it wins over the automations' checkout branches. */
  explicitBranch: boolean
  /** imagebot.yaml names `pushBranch` itself: it wins over the automations' push branches. */
  explicitPushBranch: boolean
  author: { name: string; email: string }
  messageTemplate?: string
}

/** One branch read and one branch pushed, with the automations (by `namespace/name`) that commit there. */
export interface Lane {
  branch: string
  pushBranch: string
  automations: string[]
}

export function automationKey(automation: { namespace: string; name: string }): string {
  return `${automation.namespace}/${automation.name}`
}

function describe(automation: ImageUpdateAutomationObject): string {
  return `ImageUpdateAutomation ${automationKey(automation)} (${automation.file})`
}

/** The lanes of one repository; the first is imagebot.yaml's own branch and push branch. */
export function automationLanes(
  objects: FluxObjects,
  repository: RepositoryIdentity,
): { lanes: Lane[]; warnings: Problem[] } {
  const lanes: Lane[] = [{ branch: repository.branch, pushBranch: repository.pushBranch, automations: [] }]
  const warnings: Problem[] = []
  for (const automation of automationsFor(objects, repository.url)) {
    const warn = (message: string) =>
      warnings.push({
        code: 'FLUX_OBJECT',
        severity: 'warning',
        file: automation.file,
        message: `${describe(automation)}: ${message}`,
      })
    const source = objects.gitRepositories.find(
      (git) => git.namespace === automation.sourceRef.namespace && git.name === automation.sourceRef.name,
    )
    const wantedCheckout = automation.checkoutBranch ?? source?.branch
    if (repository.explicitBranch && wantedCheckout && wantedCheckout !== repository.branch) {
      warn(
        `checks out ${wantedCheckout}, imagebot reads ${repository.branch} as imagebot.yaml says; remove repositories[].branch from imagebot.yaml to follow the automation, or set it to ${wantedCheckout}`,
      )
    }
    const branch = repository.explicitBranch ? repository.branch : (wantedCheckout ?? repository.branch)
    const wantedPush = automation.pushBranch ?? wantedCheckout
    if (repository.explicitPushBranch && wantedPush && wantedPush !== repository.pushBranch) {
      warn(
        `pushes to ${wantedPush}, imagebot pushes to ${repository.pushBranch} as imagebot.yaml says; remove repositories[].pushBranch from imagebot.yaml to follow the automation, or set it to ${wantedPush}`,
      )
    }
    const pushBranch = repository.explicitPushBranch
      ? repository.pushBranch
      : (automation.pushBranch ?? branch)
    let lane = lanes.find((known) => known.branch === branch && known.pushBranch === pushBranch)
    if (!lane) {
      lane = { branch, pushBranch, automations: [] }
      lanes.push(lane)
    }
    lane.automations.push(automationKey(automation))
  }
  return { lanes, warnings }
}

/** How one automation's targets are committed: its author and message, unless imagebot.yaml sets them. */
export function automationCommit(
  automation: ImageUpdateAutomationObject,
  repository: Pick<RepositoryIdentity, 'author' | 'messageTemplate'>,
): AutomationCommit {
  const out: AutomationCommit = { blocking: [] }
  const defaultAuthor =
    repository.author.name === DEFAULT_AUTHOR.name && repository.author.email === DEFAULT_AUTHOR.email
  if (automation.author && defaultAuthor) out.author = automation.author
  const template = automation.messageTemplate
  if (template !== undefined && repository.messageTemplate === undefined) {
    // An unsupported construct was reported where the automation was read; here it stops the commit.
    if (automation.messageTemplateError !== undefined) {
      out.blocking.push({
        code: 'CONFIG',
        file: automation.file,
        message: `${describe(automation)}: no commit is made while spec.git.commit.messageTemplate cannot be rendered`,
      })
    } else out.render = (result) => renderMessageTemplate(template, result, automation)
  }
  return out
}

/** The automations whose GitRepository names this repository (one without its GitRepository in the tree also
 * counts), by namespace/name. */
export function automationsFor(objects: FluxObjects, url: string): ImageUpdateAutomationObject[] {
  const wanted = comparableUrl(url)
  const sorted = [...objects.automations].sort((a, b) => (automationKey(a) < automationKey(b) ? -1 : 1))
  return sorted.filter((automation) => {
    const source = objects.gitRepositories.find(
      (git) => git.namespace === automation.sourceRef.namespace && git.name === automation.sourceRef.name,
    )
    return !source || comparableUrl(source.url) === wanted
  })
}

/** `https://user@Host/org/repo.git/` and `ssh://git@host/org/repo` compare equal: host and path only. */
export function comparableUrl(url: string): string {
  const scp = /^[\w.-]+@([^:/]+):(.*)$/.exec(url)
  if (scp) return `${scp[1]!.toLowerCase()}/${scp[2]!.replace(/\.git\/?$|\/+$/g, '')}`
  try {
    const parsed = new URL(url)
    return `${parsed.hostname.toLowerCase()}${parsed.port ? `:${parsed.port}` : ''}${parsed.pathname.replace(/\.git\/?$|\/+$/g, '')}`
  } catch {
    return url
  }
}
