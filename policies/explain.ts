// The words of a decision. Every reason names the policy and the counts, so that a log line or a
// `plan` listing answers "why did (or didn't) this move?" on its own.
import type { Rejection, TagPolicy } from './policy.js'
import { formatPolicySpec } from './spec.js'

const LISTED_NAMES = 10

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

/** `a, b, c` or `a, b, … and 12 more`. */
export function listTags(tags: readonly string[]): string {
  const shown = tags.slice(0, LISTED_NAMES).join(', ')
  return tags.length > LISTED_NAMES ? `${shown}, … and ${tags.length - LISTED_NAMES} more` : shown
}

/** `3 candidates have no build time (epoch or missing): a, b, c`. */
export function describeUnordered(unordered: readonly string[], why: string): string {
  const verb = unordered.length === 1 ? 'has' : 'have'
  return `${plural(unordered.length, 'candidate')} ${verb} ${why}: ${listTags(unordered)}`
}

/** `4 candidates of 12 tags seen`. */
export function counts(candidates: number, tagsSeen: number): string {
  return `${plural(candidates, 'candidate')} of ${plural(tagsSeen, 'tag')} seen`
}

/** Why one tag is not a candidate, completing "current tag X …". */
export function describeRejection(policy: TagPolicy, rejection: Rejection): string {
  switch (rejection) {
    case 'invalid':
      return 'is not a valid tag'
    case 'latest':
      return 'is "latest", which only glob:latest selects'
    case 'excluded':
      return `is excluded by ${exclusionsOf(policy)}`
    case 'filter':
      return `does not match ${formatPolicySpec(policy.spec)}`
  }
}

/** Why none of the listed tags is a candidate, with how many fell to each rule. */
export function describeNoMatch(policy: TagPolicy, listed: Iterable<string>, tagsSeen: number): string {
  const tally: Record<Rejection, number> = { invalid: 0, latest: 0, excluded: 0, filter: 0 }
  for (const tag of listed) {
    const rejection = policy.rejection(tag)
    if (rejection !== undefined) tally[rejection]++
  }
  const spec = formatPolicySpec(policy.spec)
  const globs = exclusionsOf(policy)
  if (tally.excluded === tagsSeen) return `all ${plural(tagsSeen, 'tag')} seen are excluded by ${globs}`
  const parts: string[] = []
  if (tally.filter > 0) parts.push(`${tally.filter} ${tally.filter === 1 ? 'does' : 'do'} not match`)
  if (tally.excluded > 0)
    parts.push(
      `${tally.excluded} ${tally.excluded === 1 ? 'matches but is' : 'match but are'} excluded by ${globs}`,
    )
  if (tally.latest > 0) parts.push(`"latest" is chosen only by glob:latest`)
  if (tally.invalid > 0)
    parts.push(`${tally.invalid} ${tally.invalid === 1 ? 'is not a valid tag' : 'are not valid tags'}`)
  return `no tag matches ${spec}: of ${plural(tagsSeen, 'tag')} seen, ${parts.join(', ')}`
}

/** `*.sig, *.att, *.sbom` and, for Flux v2 policies, `exclusionList ^.*\.sig$`. */
function exclusionsOf(policy: TagPolicy): string {
  const globs = policy.excludeTags.join(', ')
  if (policy.excludePatterns.length === 0) return globs
  const patterns = `exclusionList ${policy.excludePatterns.join(', ')}`
  return globs === '' ? patterns : `${globs} or ${patterns}`
}
