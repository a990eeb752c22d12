// The contracts between pipeline stages: discover → observe → decide → rewrite → write back.

import type { PolicySpec } from '../policies/spec.js'
import type { ImageRef } from './image/reference.js'

/** One YAML scalar that holds part of an image reference, located by byte range in the whole file. */
export interface ScalarLocation {
  /** Key path from the document root, e.g. ['spec', 'values', 'image', 'tag']. */
  path: (string | number)[]
  /** [start, end) byte offsets (JS string indices) of the scalar's source, quotes included. */
  range: [number, number]
  /** The parsed value of the scalar. */
  value: string
  /** yaml's scalar type: PLAIN, QUOTE_SINGLE, QUOTE_DOUBLE, BLOCK_LITERAL, BLOCK_FOLDED. */
  style: string
  /** An explicit tag written on the scalar (`!!int 150` → `tag:yaml.org,2002:int`); the new value must fit it. */
  tag?: string
}

/** Where each part of one container's image lives. Which fields are present is the user's split. */
export interface FieldLocations {
  /** A full or partial reference: `repo:tag`, or `repo` with a sibling tag field. */
  image?: ScalarLocation
  registry?: ScalarLocation
  repository?: ScalarLocation
  tag?: ScalarLocation
  /** A digest alone (`sha256:…`), written by a setter marker's `:digest`. */
  digest?: ScalarLocation
}

/**
 * A setter (a Flux v2 marker) writes one part of the policy's pick into its scalar whole, whatever the
 * scalar held: the full reference `name:tag` (`name:tag@digest` with pinDigest), the name, the tag or the
 * digest, where the name is `current`'s repository as written. Targets without a setter keep the name
 * written in the file and splice in the new tag.
 */
export interface Setter {
  field: 'image' | 'repository' | 'tag' | 'digest'
  /** Full references carry the chosen tag's digest. */
  pinDigest: boolean
  /** The setter as written, e.g. `flux-system:podinfo:tag`, for messages. */
  name: string
  /**
   * The ImageUpdateAutomation (`namespace/name`) this target belongs to: its author, message and branches
   * commit the change. Absent when the tree holds no automation (imagebot.yaml's settings apply).
   */
  automation?: string
}

export interface Target {
  /** Path relative to the scanned root, with forward slashes. */
  file: string
  /** Index of the YAML document in the file. */
  doc: number
  /** Flux v1 style workload id: `namespace:kind/name`, kind in lower case. */
  workload: string
  /** Container name; `chart-image` for the values root; dot path for nested values maps. */
  container: string
  fields: FieldLocations
  current: ImageRef
  policy: PolicySpec
  setter?: Setter
}

export interface Skipped {
  file: string
  workload: string
  container: string
  reason: string
  /** For a locked workload, its `locked_msg` (and `locked_user`) annotations, when set. */
  message?: string
}

// Decision (the outcome of deciding one target) is defined by policies/, which may import nothing internal.
export type { Decision } from '../policies/decision.js'

export interface Change {
  workload: string
  container: string
  /** Which field changed: image, tag, …; for messages and review. */
  field: string
  /** Full references in the user's written form (composed for split fields). */
  oldRef: string
  newRef: string
  policy: string
  /** Setter changes: the edited scalar's value before and after (a tag, a name, a full reference, a digest). */
  oldValue?: string
  newValue?: string
  /** The setter that made the change, when a marker did. */
  setter?: string
}

export interface FileUpdate {
  /** The file's full new text. */
  text: string
  changes: Change[]
}

/** The one contract between rewriting and committing (as Flux's update.Result). */
export interface UpdateResult {
  files: Map<string, FileUpdate>
}
