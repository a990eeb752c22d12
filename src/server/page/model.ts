// The page's view of the daemon's status model: rows per container and per config repository, the
// filter and the page window. Pure and cheap (10,000 containers in a few ms): it only joins what the
// workers recorded (src/server/status.ts) and never re-runs a pipeline stage.
import { parseImageRef, repositoryKey } from '../../image/reference.js'
import { redactCredentials } from '../../redact.js'
import type { ConfigRepoStatus, ImageStatus, StatusSnapshot } from '../status.js'
import { commitLink } from './commit-link.js'

export const PAGE_SIZE = 100
export const ROW_STATES = ['error', 'stuck', 'locked', 'pending', 'held', 'ok'] as const
export type RowState = (typeof ROW_STATES)[number]
/** States that need a person: shown first. */
const ATTENTION: ReadonlySet<RowState> = new Set(['error', 'stuck', 'locked'])

export interface PageExtras {
  /** Configured repositories (branch shown per repo); URLs may carry credentials, stripped here. */
  repositories: { url: string; branch: string }[]
  suspended: string[]
  backend: 'embedded' | 'bullmq'
  queue?: { waiting: number; active: number }
  webhooks?: { type: string; result: string; count: number }[]
  rateBudget?: { registry: string; remaining: number }[]
  /** Set when the status records could not be read (Redis down): the page shows the last ones, and why. */
  unreachable?: string
  /** Seconds between refreshes of the page; 0 turns it off. */
  refreshSeconds?: number
}

export interface PageFilter {
  repo?: string
  namespace?: string
  state?: RowState
  page: number
}

export interface ContainerRow {
  repo: string
  namespace: string
  workload: string
  container: string
  file: string
  image: string
  tag: string
  policy: string
  next?: string
  reason: string
  state: RowState
  lastScanAt?: string
  nextScanAt?: string
  tagsSeen?: number
  /** The newest tag the policy saw, chosen or not. */
  newest?: string
  registryError?: string
  /** Annotation warnings naming this row's workload and container. */
  warnings?: string[]
}

export interface RepoRow {
  url: string
  branch?: string
  lastRunAt?: string
  lastCommit?: string
  lastCommitAt?: string
  commitLink?: string
  state: 'ok' | 'partial' | 'error' | 'not run yet'
  errors: string[]
  /** Annotation warnings not naming a shown container (those are on the container's row). */
  warnings: string[]
  suspended: boolean
  containers: number
}

export interface PageModel {
  generatedAt: string
  discoveredAt?: string
  repos: RepoRow[]
  /** The rows of the current page, attention first. */
  rows: ContainerRow[]
  /** Rows matching the filter, across all pages. */
  matching: number
  total: number
  pages: number
  filter: PageFilter
  counts: Record<RowState, number>
  namespaces: string[]
  extras: PageExtras
}

/** Reads `?repo=&namespace=&state=&page=`; unknown states and bad pages fall back to none and 1. */
export function parseFilter(query: Record<string, unknown>): PageFilter {
  const text = (key: string) => {
    const value = query[key]
    return typeof value === 'string' && value !== '' ? value : undefined
  }
  const filter: PageFilter = { page: Math.max(1, Math.floor(Number(text('page') ?? 1)) || 1) }
  const repo = text('repo')
  const namespace = text('namespace')
  const state = text('state')
  if (repo) filter.repo = repo
  if (namespace) filter.namespace = namespace
  if (state && (ROW_STATES as readonly string[]).includes(state)) filter.state = state as RowState
  return filter
}

export function buildPageModel(
  snapshot: StatusSnapshot,
  extras: PageExtras,
  filter: PageFilter,
  now = new Date(),
): PageModel {
  const images = new Map(snapshot.images.map((image) => [image.image, image]))
  const statuses = new Map(snapshot.configRepos.map((repo) => [repo.configRepo, repo]))
  const suspended = new Set(extras.suspended)
  const urls = [...new Set([...extras.repositories.map((r) => r.url), ...statuses.keys()])]
  const all = urls.flatMap((url) => containerRows(url, statuses.get(url), images))
  const counts = Object.fromEntries(ROW_STATES.map((state) => [state, 0])) as Record<RowState, number>
  for (const row of all) counts[row.state]++
  const matching = all.filter(
    (row) =>
      (filter.repo === undefined || row.repo === redactCredentials(filter.repo)) &&
      (filter.namespace === undefined || row.namespace === filter.namespace) &&
      (filter.state === undefined || row.state === filter.state),
  )
  matching.sort((a, b) => rank(a) - rank(b))
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE))
  const page = Math.min(filter.page, pages)
  const model: PageModel = {
    generatedAt: now.toISOString(),
    repos: urls.map((url) =>
      repoRow(url, extras.repositories.find((r) => r.url === url)?.branch, statuses.get(url), suspended),
    ),
    rows: matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
    matching: matching.length,
    total: all.length,
    pages,
    filter: { ...filter, page },
    counts,
    namespaces: [...new Set(all.map((row) => row.namespace))].sort(),
    extras,
  }
  if (snapshot.discoveredAt !== undefined) model.discoveredAt = snapshot.discoveredAt
  return model
}

/** Attention first (errors, stuck, locked), then the rest; the sort is stable so files keep their order. */
function rank(row: ContainerRow): number {
  return ATTENTION.has(row.state) ? ROW_STATES.indexOf(row.state) : ROW_STATES.length
}

function containerRows(
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

function namesRow(warning: string, status: ConfigRepoStatus): boolean {
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

function repoRow(
  url: string,
  branch: string | undefined,
  status: ConfigRepoStatus | undefined,
  suspended: Set<string>,
): RepoRow {
  const row: RepoRow = {
    url: redactCredentials(url),
    state: !status
      ? 'not run yet'
      : status.errors.length === 0
        ? 'ok'
        : status.targets.length > 0
          ? 'partial'
          : 'error',
    errors: status?.errors ?? [],
    warnings: (status?.warnings ?? []).filter((warning) => !namesRow(warning, status!)),
    suspended: suspended.has(url),
    containers: status?.targets.length ?? 0,
  }
  if (branch !== undefined) row.branch = branch
  if (status) row.lastRunAt = status.lastRunAt
  if (status?.lastCommit !== undefined) {
    row.lastCommit = status.lastCommit
    const link = commitLink(url, status.lastCommit)
    if (link) row.commitLink = link
  }
  if (status?.lastCommitAt !== undefined) row.lastCommitAt = status.lastCommitAt
  return row
}
