// The page's view of the daemon's status model: rows per container and per config repository, the
// filter and the page window. Pure and cheap (10,000 containers in a few ms): it only joins what the
// workers recorded (src/server/status.ts) and never re-runs a pipeline stage.
import { redactCredentials } from '../../redact.js'
import type { ConfigRepoStatus, StatusSnapshot } from '../status.js'
import { commitLink } from './commit-link.js'
import { containerRows, namesRow } from './container-rows.js'

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
