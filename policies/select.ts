// decide: (policy, current tag, listed tags, build info) → Decision. Pure; the caller fetches.
import { buildTimeOf, NO_BUILD_TIME } from './build-time.js'
import type { Decision, DecisionOutcome } from './decision.js'
import { counts, describeNoMatch, describeRejection, describeUnordered, listTags } from './explain.js'
import type { BuildInfoLookup, Ordering, TagPolicy } from './policy.js'
import { compareStrings } from './policy.js'
import { formatPolicySpec } from './spec.js'

export interface DecideInput {
  policy: TagPolicy
  /** The tag the manifest holds now; absent for an untagged or digest-only reference. */
  currentTag?: string
  /** Every tag the registry lists for the image, in any order. */
  tags: readonly string[]
  /**
   * Build metadata, needed when `policy.needsBuildTime`: for every tag that passes the filter and
   * for the current tag. undefined means unknown (not fetched, or the fetch failed); `{}` or an
   * epoch `created` means known, without a usable build time.
   */
  buildInfo?: BuildInfoLookup
}

/** What the reasons of one decision share. */
interface Ranked {
  policy: TagPolicy
  currentTag: string | undefined
  ordering: Ordering
  /** `glob:dev-*` */
  spec: string
  /** `4 candidates of 12 tags seen` */
  tally: string
  /** `2 candidates have no build time (epoch or missing): a, b`: listed tags only */
  unorderedListed: string
  /** `; ` + unorderedListed, or '' when every listed candidate is ordered */
  unorderedNote: string
  tagsSeen: number
  candidates: number
}

/**
 * The newest tag that passes the policy, unless that would not move forward: nothing moves when
 * the current tag passes the filter and is already the newest. A current tag that fails the
 * filter moves to the best candidate even if that is "older" (converge to the policy, as Flux).
 */
export function decide(input: DecideInput): Decision {
  const { policy, currentTag } = input
  const listed = new Set(input.tags)
  const tagsSeen = listed.size
  if (tagsSeen === 0) return stay('no-tags', 'the registry lists no tags for this image', 0, 0)

  const candidates = [...listed].filter((tag) => policy.matches(tag))
  if (candidates.length === 0) {
    return stay('no-match', describeNoMatch(policy, listed, tagsSeen), tagsSeen, 0)
  }

  // The current tag competes like any candidate, even when the registry no longer lists it.
  const currentMatches = currentTag !== undefined && policy.matches(currentTag)
  const pool = currentMatches && !listed.has(currentTag) ? [...candidates, currentTag] : candidates
  const tally = counts(candidates.length, tagsSeen)
  if (policy.needsBuildTime) {
    const guard = buildTimeGuard(input, pool, currentMatches, tally)
    if (guard !== undefined) return stay(guard.outcome, guard.reason, tagsSeen, candidates.length)
  }
  const ordering = policy.order(pool, input.buildInfo)
  const unordered = ordering.unordered.filter((tag) => listed.has(tag))
  const unorderedListed = describeUnordered(unordered, ordering.unorderedWhy)
  const ranked: Ranked = {
    policy,
    currentTag,
    ordering,
    spec: formatPolicySpec(policy.spec),
    tally,
    unorderedListed,
    unorderedNote: unordered.length > 0 ? `; ${unorderedListed}` : '',
    tagsSeen,
    candidates: candidates.length,
  }
  const best = ordering.ranked.find((tag) => listed.has(tag))
  if (best === undefined) return noneOrderable(ranked)
  // Tags tied with the newest order equal: moving between them is churn, not an update.
  const newest = ordering.ranked.slice(0, ordering.tiedAtTop)
  if (currentMatches && newest.includes(currentTag)) return alreadyNewest(ranked, best, newest.includes(best))
  return moveTo(ranked, best)
}

/**
 * A build-time choice is made only on complete information (issue 12): every tag that could beat
 * the choice, and the current tag, must have known metadata, or nothing moves and the next scan
 * retries. A current tag known to have no usable build time never moves either (Flux v1's guard
 * against rollbacks, fluxcd/flux#1817): nothing can be shown to be newer than it.
 */
function buildTimeGuard(
  input: DecideInput,
  pool: readonly string[],
  currentMatches: boolean,
  tally: string,
): { outcome: DecisionOutcome; reason: string } | undefined {
  const spec = formatPolicySpec(input.policy.spec)
  const unknown = pool.filter((tag) => input.buildInfo?.(tag) === undefined).sort(compareStrings)
  if (unknown.length > 0) {
    const current = input.currentTag
    const note =
      current !== undefined && unknown.includes(current) ? ` (including the current tag ${current})` : ''
    return {
      outcome: 'waiting-for-metadata',
      reason:
        `waiting for build metadata of ${listTags(unknown)}${note}: ${spec} orders by build time, and a tag ` +
        `whose build time is unknown could be newer than any choice (${tally}); nothing moves until a scan knows it`,
    }
  }
  const current = input.currentTag
  if (currentMatches && current !== undefined && buildTimeOf(input.buildInfo?.(current)) === undefined) {
    return {
      outcome: 'current-without-build-time',
      reason:
        `current tag ${current} has ${NO_BUILD_TIME}, so ${spec} cannot tell whether any tag is newer ` +
        `(${tally}); nothing moves, as in Flux v1, so that a rebuild without a time never causes a rollback`,
    }
  }
  return undefined
}

function noneOrderable(r: Ranked): Decision {
  const reason = `none of the candidates matching ${r.spec} can be chosen (${r.tally}): ${r.unorderedListed}`
  return stay('unorderable', reason, r.tagsSeen, r.candidates)
}

function alreadyNewest(r: Ranked, best: string, bestTies: boolean): Decision {
  if (best === r.currentTag || bestTies) {
    const tie = best === r.currentTag ? '' : `; ${best} orders equal, so nothing moves`
    const reason = `up to date: current tag ${r.currentTag} is the newest match for ${r.spec} (${r.tally})${tie}`
    return { ...stay('up-to-date', reason + r.unorderedNote, r.tagsSeen, r.candidates), newest: best }
  }
  const reason =
    `current tag ${r.currentTag} is already the newest match for ${r.spec} (the registry does not list it): ` +
    `moving would downgrade from ${r.currentTag} to ${best} (${r.tally})`
  return { ...stay('would-downgrade', reason + r.unorderedNote, r.tagsSeen, r.candidates), newest: best }
}

function moveTo(r: Ranked, best: string): Decision {
  const newest = `the newest match for ${r.spec} (${r.tally})`
  let reason: string
  if (r.currentTag === undefined) {
    reason = `chose ${best}: ${newest}`
  } else {
    const rejection = r.policy.rejection(r.currentTag)
    const why =
      rejection !== undefined
        ? `current tag ${describeRejection(r.policy, rejection)}, so converging to ${newest}`
        : r.ordering.unordered.includes(r.currentTag)
          ? `${newest}; the current tag cannot be ordered`
          : newest
    reason = `${r.currentTag} → ${best}: ${why}`
  }
  return {
    next: best,
    newest: best,
    reason: reason + r.unorderedNote,
    tagsSeen: r.tagsSeen,
    candidates: r.candidates,
    outcome: 'update',
  }
}

function stay(outcome: DecisionOutcome, reason: string, tagsSeen: number, candidates: number): Decision {
  return { reason, tagsSeen, candidates, outcome }
}
