// Errors are data: collected with a code and a location, reported, never thrown across the pipeline.

export type ProblemCode =
  | 'YAML_PARSE'
  | 'FILE_TOO_LARGE'
  | 'FILE_READ'
  | 'SYMLINK_OUTSIDE'
  | 'ALIAS_LIMIT'
  | 'IMAGE_REF_INVALID'
  | 'POLICY_INVALID'
  | 'REWRITE_UNSAFE'
  | 'REWRITE_VERIFY'
  | 'REGISTRY'
  | 'GIT'
  | 'CONFIG'
  /** An annotation or marker that cannot be honoured as written (unknown key, typo, non-string value). */
  | 'ANNOTATION'
  /** A Flux object (ImageRepository, ImagePolicy, ImageUpdateAutomation, GitRepository) read from the repo. */
  | 'FLUX_OBJECT'

export interface Problem {
  code: ProblemCode
  message: string
  file?: string
  image?: string
  workload?: string
  container?: string
  /** Byte offset in the file, where known. */
  offset?: number
  /** Transient problems (timeouts, 429, 5xx, rejected push) are worth retrying; permanent ones are not. */
  transient?: boolean
  /** Absent means an error. A warning is reported everywhere errors are, but does not fail a run. */
  severity?: 'error' | 'warning'
}
