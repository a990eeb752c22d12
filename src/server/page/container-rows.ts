// The page's container rows of one config repository: its last run's decisions (with what its own commit
// carried out), locked containers, images whose scan failed before any decision, and the warnings that
// name each row. Pure joins of what the workers recorded, cached per image record.
import { parseImageRef, repositoryKey } from '../../image/reference.js'
import { redactCredentials } from '../../redact.js'
import type { ConfigRepoStatus, ImageStatus } from '../status.js'
import type { ContainerRow } from './model.js'

export function containerRows(
  url: string,
  status: ConfigRepoStatus | undefined,
  images: Map<string, ImageStatus>,
): ContainerRow[] {
  const repo = redactCredentials(url)
  const rows = status ? targetRows(repo, status, images) : []
  // A target whose image could not be read has no decision, so no row of its own: its image gets one.
  const shown = new Set(rows.map((row) => row.image))
  for (const image of images.values()) {
    if (!image.error || shown.has(image.image) || !image.configRepos.includes(url)) continue
    rows.push({
      repo,
      namespace: '',
      workload: '(no decision)',
      container: '',
      file: '',
      image: image.image,
      tag: '',
      policy: '',
      reason: 'no decision: the last scan of this image failed',
      state: 'error',
      registryError: image.error,
      ...scanTimes(image),
    })
  }
  return rows
}

type ScanTimes = Pick<ContainerRow, 'lastScanAt' | 'nextScanAt' | 'tagsSeen'>
/** Per image record, not per row: thousands of rows share a few hundred images. */
const timesOf = new WeakMap<ImageStatus, ScanTimes>()

function scanTimes(scan: ImageStatus | undefined): ScanTimes {
  if (!scan) return {}
  const cached = timesOf.get(scan)
  if (cached) return cached
  const times: ScanTimes = {}
  if (scan.lastScanAt !== undefined) {
    times.lastScanAt = scan.lastScanAt
    times.nextScanAt = new Date(Date.parse(scan.lastScanAt) + scan.intervalMs).toISOString()
  }
  if (scan.tagsSeen !== undefined) times.tagsSeen = scan.tagsSeen
  timesOf.set(scan, times)
  return times
}

function targetRows(
  repo: string,
  status: ConfigRepoStatus,
  images: Map<string, ImageStatus>,
): ContainerRow[] {
  const repoFailed = status.errors.length > 0
  // The targets are the decisions of the last run; when that run pushed, what it chose is now in the repo.
  const pushed = status.lastCommit !== undefined && status.lastCommitAt === status.lastRunAt
  const rows = status.targets.map((decided) => {
    const target =
      pushed && decided.next !== undefined ? landed(decided, status.lastCommit!.slice(0, 8)) : decided
    const { key, tag } = imageOf(target.current)
    const scan = images.get(key)
    const row: ContainerRow = {
      repo,
      namespace: target.workload.split(':')[0] ?? '',
      workload: target.workload,
      container: target.container,
      file: target.file,
      image: key,
      tag,
      policy: target.policy ?? '',
      reason: target.reason,
      state: stateOf(target.reason, target.next, scan?.error, repoFailed),
    }
    if (target.next !== undefined) row.next = target.next
    if (target.newest !== undefined) row.newest = target.newest
    Object.assign(row, scanTimes(scan))
    if (scan?.error) row.registryError = scan.error
    return row
  })
  for (const locked of status.locked ?? []) {
    rows.push({
      repo,
      namespace: locked.workload.split(':')[0] ?? '',
      workload: locked.workload,
      container: locked.container,
      file: locked.file,
      image: '',
      tag: '',
      policy: '',
      reason: locked.message ? `locked: ${locked.message}` : 'locked',
      state: 'locked',
    })
  }
  for (const row of rows) {
    const warnings = (status.warnings ?? []).filter((warning) => warningNames(warning, row))
    if (warnings.length > 0) row.warnings = warnings
  }
  return rows
}

/** A warning names a row when it names its workload (and its container, when it names any of the row's file). */
function warningNames(warning: string, row: Pick<ContainerRow, 'workload' | 'container'>): boolean {
  return warning.includes(row.workload) && (row.container === '' || warning.includes(row.container))
}

export function namesRow(warning: string, status: ConfigRepoStatus): boolean {
  return [...status.targets, ...(status.locked ?? [])].some((row) => warningNames(warning, row))
}

/**
 * error: the registry scan of its image failed. stuck: a newer tag was chosen but the run that chose it
 * ended with errors (or the repo is suspended), so it did not land. locked: the reason names a lock.
 * pending: chosen and not yet written. held: the policy keeps it (would downgrade, nothing matches).
 */
function stateOf(
  reason: string,
  next: string | undefined,
  scanError: string | undefined,
  repoFailed: boolean,
) {
  if (scanError) return 'error'
  if (next !== undefined) return repoFailed ? 'stuck' : 'pending'
  if (/\blocked\b/i.test(reason)) return 'locked'
  return /^(up to date|updated from)\b/i.test(reason) ? 'ok' : 'held'
}

/** A decision the run's own commit carried out: the new tag is current, the reason says so. */
function landed(
  target: ConfigRepoStatus['targets'][number],
  sha: string,
): ConfigRepoStatus['targets'][number] {
  const { next, ...rest } = target
  return {
    ...rest,
    current: next!,
    reason: `updated from ${imageOf(target.current).tag} in ${sha}: ${target.reason}`,
  }
}

/** Canonical keys by the name part of a reference: a page of 10,000 containers has a few hundred images. */
const keysByName = new Map<string, string>()
const MAX_CACHED_NAMES = 50_000

/** The image's canonical key (to join its scan record) and the tag or digest as written. */
function imageOf(written: string): { key: string; tag: string } {
  // The tag follows the last ':' after the last '/' (a ':' before it is a registry port).
  const at = written.indexOf('@')
  const named = at < 0 ? written : written.slice(0, at)
  const colon = named.lastIndexOf(':')
  const hasTag = colon > named.lastIndexOf('/')
  const name = hasTag ? named.slice(0, colon) : named
  const tag = hasTag ? named.slice(colon + 1) : at < 0 ? '' : written.slice(at + 1)
  let key = keysByName.get(name)
  if (key === undefined) {
    try {
      key = repositoryKey(parseImageRef(name))
    } catch {
      key = name
    }
    if (keysByName.size >= MAX_CACHED_NAMES) keysByName.clear()
    keysByName.set(name, key)
  }
  return { key, tag }
}
