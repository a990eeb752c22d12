/** Why a decision came out as it did, for metrics and callers that branch on it. */
export type DecisionOutcome =
  /** `next` is set: a newer tag, or the best match when the current tag fails the filter. */
  | 'update'
  /** The current tag is the newest candidate. */
  | 'up-to-date'
  /** The current tag passes the filter and orders after every listed candidate. */
  | 'would-downgrade'
  /** The registry lists no tags. */
  | 'no-tags'
  /** No tag passes the filter (invalid, `latest`, filtered out or excluded). */
  | 'no-match'
  /** Tags pass the filter but none can be ordered (no build time, nothing captured). */
  | 'unorderable'
  /**
   * A build-time policy lacks the metadata of a candidate or of the current tag (fetch failed or
   * not made): nothing moves, an error worth retrying at the next scan.
   */
  | 'waiting-for-metadata'
  /** The current tag passes a build-time filter but is known to have no usable build time. */
  | 'current-without-build-time'

/** The outcome of deciding one target: a next tag, or why nothing moved. */
export interface Decision {
  /** The tag to move to; absent when nothing moves. */
  next?: string
  /** Human-readable explanation, always present. */
  reason: string
  /** How many tags the registry listed. */
  tagsSeen: number
  /** How many passed the filter (and exclusions). */
  candidates: number
  /**
   * The newest listed candidate in the policy's ordering, chosen or not (the status page's "newest tag
   * seen"); absent when nothing passes the filter or nothing can be ordered.
   */
  newest?: string
  /** Set by policies/select.ts decide(); optional so other stages may build decisions (e.g. locked). */
  outcome?: DecisionOutcome
}
