// One lane of a repository run (run/automation.ts): read the lane's branch, commit each owner's targets with
// its own author and message (one commit per automation, chained), push the last commit once, never forced.
// A rejected push means someone moved the branch: the lane is read and computed again on the new head.

import { buildCommitMessage, type CommitMessageOptions } from '../commit/index.js'
import type { CommitSigner, ConfigRepoCheckout } from '../git/index.js'
import type { Problem } from '../problems.js'
import { markStage } from '../stage-timing.js'
import type { FileUpdate, UpdateResult } from '../types.js'
import { automationCommit, type Lane, type RepositoryIdentity } from './automation.js'
import { CONFIG_OWNER, type CommitGroup, commitGroups } from './commit-groups.js'
import { type Plan, updatesOf } from './plan.js'

export interface LaneContext {
  url: string
  identity: RepositoryIdentity
  message: CommitMessageOptions
  signer?: Promise<CommitSigner>
  attempts: number
  dryRun: boolean
}

export interface HeadPlan {
  head: string
  plan: Plan
}

export interface LaneRun {
  lane: Lane
  /** The lane's plan, its result and updates narrowed to what this lane commits. */
  plan: Plan
  commit?: string
  errors: Problem[]
}

/** imagebot.yaml's own targets ride in the first lane, before its automations. */
export function laneOwners(lane: Lane, first: boolean): string[] {
  return first ? [CONFIG_OWNER, ...lane.automations] : [...lane.automations]
}

export async function runLane(
  checkout: ConfigRepoCheckout,
  lane: Lane,
  owners: string[],
  readPlan: () => Promise<HeadPlan>,
  context: LaneContext,
  prefetched?: HeadPlan,
): Promise<LaneRun> {
  let read = prefetched
  for (let attempt = 1; attempt <= context.attempts; attempt++) {
    if (attempt > 1 || !read) read = await readPlan()
    const { head, plan } = read
    const commits = ownerCommits(plan, owners, context)
    plan.errors.push(...commits.blocking)
    const view = laneView(plan, commits.groups)
    if (context.dryRun || commits.groups.length === 0) return { lane, plan: view, errors: [] }
    let parent = head
    for (const group of commits.groups) {
      const contents = new Map([...group.result.files].map(([file, update]) => [file, update.text]))
      const made = await checkout.commitFiles(
        parent,
        contents,
        group.author,
        group.message,
        await context.signer,
      )
      if (made !== null) parent = made
    }
    if (parent === head) return { lane, plan: view, errors: [] }
    markStage('committed', context.url)
    const outcome = await checkout.push(parent)
    if (outcome.ok) {
      markStage('pushed', context.url)
      return { lane, plan: view, commit: parent, errors: [] }
    }
  }
  return {
    lane,
    plan: laneView(read!.plan, []),
    errors: [
      {
        code: 'GIT',
        transient: true,
        message: `${context.url}: push to ${lane.pushBranch} was rejected ${context.attempts} times because the branch kept moving; the next run will try again`,
      },
    ],
  }
}

interface OwnerCommit extends CommitGroup {
  author: { name: string; email: string }
  message: string
}

/** Each owner's group with its author and message; an automation whose template cannot render commits nothing. */
function ownerCommits(plan: Plan, owners: string[], context: LaneContext) {
  const { identity } = context
  const blocking: Problem[] = []
  const settings = new Map<
    string,
    { author: { name: string; email: string }; render?: (r: UpdateResult) => string }
  >()
  for (const owner of owners) {
    if (owner === CONFIG_OWNER) {
      settings.set(owner, { author: identity.author })
      continue
    }
    const automation = plan.flux.automations.find((found) => `${found.namespace}/${found.name}` === owner)
    if (!automation) continue // not in this branch's tree: it owns no target here either
    const commit = automationCommit(automation, identity)
    if (commit.blocking.length > 0) {
      blocking.push(...commit.blocking)
      continue
    }
    settings.set(owner, {
      author: commit.author ?? identity.author,
      ...(commit.render && { render: commit.render }),
    })
  }
  const groups: OwnerCommit[] = commitGroups(
    plan,
    owners.filter((owner) => settings.has(owner)),
  ).map((group) => {
    const { author, render } = settings.get(group.owner)!
    const message = buildCommitMessage(group.result, { ...context.message, ...(render && { render }) })
    return { ...group, author, message }
  })
  return { groups, blocking }
}

/** The plan with its result and updates narrowed to the lane's groups (the last group's text of a file wins). */
export function laneView(plan: Plan, groups: CommitGroup[]): Plan {
  const files = new Map<string, FileUpdate>()
  for (const group of groups) {
    for (const [file, update] of group.result.files) {
      const earlier = files.get(file)
      files.set(file, { text: update.text, changes: [...(earlier?.changes ?? []), ...update.changes] })
    }
  }
  const result: UpdateResult = { files }
  const originals = new Map([...files.keys()].map((file) => [file, plan.originals.get(file) ?? '']))
  return { ...plan, result, updates: updatesOf(result), originals }
}
