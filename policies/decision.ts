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
}
