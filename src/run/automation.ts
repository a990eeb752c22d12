// What an ImageUpdateAutomation read from the repository says about committing there. imagebot.yaml wins
// where it sets a key (commit.author other than the default, commit.message); the automation fills in the
// rest. Branches are imagebot.yaml's alone (the checkout is made before the objects are read): an automation
// that checks out or pushes elsewhere is reported with the key to set.

import { DEFAULT_AUTHOR } from '../config/index.js'
import type { FluxObjects, ImageUpdateAutomationObject } from '../flux2/index.js'
import { renderMessageTemplate } from '../flux2/template/index.js'
import type { Problem } from '../problems.js'
import type { UpdateResult } from '../types.js'

export interface AutomationCommit {
  automation?: ImageUpdateAutomationObject
  author?: { name: string; email: string }
  render?: (result: UpdateResult) => string
  /** A messageTemplate that cannot be rendered: nothing may be committed. */
  blocking: Problem[]
  warnings: Problem[]
}

export interface RepositoryIdentity {
  url: string
  branch: string
  pushBranch: string
  author: { name: string; email: string }
  messageTemplate?: string
}

export function automationCommit(objects: FluxObjects, repository: RepositoryIdentity): AutomationCommit {
  const out: AutomationCommit = { blocking: [], warnings: [] }
  const automation = automationFor(objects, repository.url)
  if (!automation) return out
  out.automation = automation
  const id = `ImageUpdateAutomation ${automation.namespace}/${automation.name} (${automation.file})`
  const warn = (message: string) =>
    out.warnings.push({
      code: 'FLUX_OBJECT',
      severity: 'warning',
      file: automation.file,
      message: `${id}: ${message}`,
    })
  const source = objects.gitRepositories.find(
    (git) => git.namespace === automation.sourceRef.namespace && git.name === automation.sourceRef.name,
  )
  const checkout = automation.checkoutBranch ?? source?.branch
  if (checkout && checkout !== repository.branch) {
    warn(
      `checks out ${checkout}, imagebot reads ${repository.branch}; set repositories[].branch: ${checkout} in imagebot.yaml`,
    )
  }
  const push = automation.pushBranch ?? checkout
  if (push && push !== repository.pushBranch) {
    warn(
      `pushes to ${push}, imagebot pushes to ${repository.pushBranch}; set repositories[].pushBranch: ${push} in imagebot.yaml`,
    )
  }
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
        message: `${id}: no commit is made while spec.git.commit.messageTemplate cannot be rendered`,
      })
    } else out.render = (result) => renderMessageTemplate(template, result, automation)
  }
  return out
}

/** The automation whose GitRepository names this repository; one without its GitRepository in the tree also counts. */
function automationFor(objects: FluxObjects, url: string): ImageUpdateAutomationObject | undefined {
  const wanted = comparableUrl(url)
  const sorted = [...objects.automations].sort((a, b) =>
    `${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1,
  )
  const matching = sorted.filter((automation) => {
    const source = objects.gitRepositories.find(
      (git) => git.namespace === automation.sourceRef.namespace && git.name === automation.sourceRef.name,
    )
    return !source || comparableUrl(source.url) === wanted
  })
  return matching[0]
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
