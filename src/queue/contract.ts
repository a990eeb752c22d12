// What the daemon asks of the pipeline. workers/ and queue/ orchestrate only: every piece of domain logic
// sits behind these three calls, which run/ implements on top of the one-shot pipeline.

/** One image repository to poll, and the config repositories whose targets use it. */
export interface ScheduledImage {
  /** Canonical key, e.g. `docker.io/library/nginx` (see src/image/reference.ts repositoryKey). */
  image: string
  /** Config repository URLs that have eligible targets on this image. */
  configRepos: string[]
  /** Poll interval for this image in milliseconds. */
  intervalMs: number
}

export interface ScanOutcome {
  /** True when the tags (or their metadata) differ from the previous scan, so decisions may move. */
  changed: boolean
  /**
   * Config repositories to update because of this image (empty when nothing changed, and without those a
   * recent scan of the very same tags already queued: run/scan-memory.ts).
   */
  affectedConfigRepos: string[]
  tagsSeen: number
  error?: string
  /**
   * Scan again after this long: some tag could not be read yet (a push caught half way, a passing registry
   * error), and waiting for the next scheduled scan would delay its update by a whole interval.
   */
  retryInMs?: number
}

/** What one target's decision was in the last update run, for /status. */
export interface TargetStatus {
  file: string
  workload: string
  container: string
  current: string
  next?: string
  /** The tag filter as normalized text, e.g. `semver:^2`. */
  policy?: string
  reason: string
  /** The newest tag the policy saw (the top of its ordering, chosen or not). */
  newest?: string
}

/** A container discovery left alone because its workload is locked, with the lock's message. */
export interface LockedStatus {
  file: string
  workload: string
  container: string
  /** `fluxcd.io/locked_msg`, and who locked it (`locked_user`), when set. */
  message?: string
}

/** One image change in a pushed commit (notifications list them). */
export interface ChangeStatus {
  file: string
  workload: string
  container: string
  current: string
  next: string
}

export interface UpdateOutcome {
  /** The pushed commit, when one was made. */
  commit?: string
  /** The first line of its message. */
  subject?: string
  /** What the commit changed. */
  changes?: ChangeStatus[]
  /** True when every error is transient (a timeout, a 5xx, a rejected push): the next run may succeed. */
  transient?: boolean
  /** `partial`: pushed what could be pushed, some files or images failed; `error`: nothing could be done. */
  outcome?: 'ok' | 'partial' | 'error'
  updates: number
  errors: string[]
  /** Annotation warnings of the run; absent from outcomes recorded before they existed. */
  warnings?: string[]
  targets: TargetStatus[]
  /** Locked containers: never decided, shown so a person sees why they do not move. */
  locked?: LockedStatus[]
}

export interface PipelineHandlers {
  /** Reads every config repository and returns the unique eligible image repositories. */
  discover(): Promise<ScheduledImage[]>
  /** Lists tags (and needed metadata) for one image repository, refreshing the shared cache. */
  scan(image: string): Promise<ScanOutcome>
  /**
   * Runs the one-shot pipeline for one config repository: fetch, decide, rewrite, commit, push. With
   * `dryRun` (a suspended repository) it decides and reports but commits and pushes nothing.
   */
  update(configRepo: string, options?: { dryRun?: boolean }): Promise<UpdateOutcome>
  /** Per config repository, the error of its last fetch (discovery or update); absent when it worked. */
  syncState?(): ConfigRepoSync[]
}

export interface ConfigRepoSync {
  configRepo: string
  error?: string
}
