// tags/list with pagination: `n` per page, Link rel="next" (relative or absolute, same host
// only), a smaller `n` when the registry rejects the page size, a page cap. Tags that break the
// tag grammar are dropped; `keep` drops unwanted tags as pages arrive so huge repositories
// (library/node: 9,000+ tags) do not sit in memory. Order is the registry's: never "newest".
import { isValidTag } from '../image/reference.js'
import { describeStatus, RegistryError, redactUrl } from './errors.js'
import type { HttpResponse } from './http.js'
import type { RegistryTransport } from './transport.js'

export interface TagListing {
  /** Valid tags that passed `keep`, deduplicated, in the registry's order. */
  tags: string[]
  /** Valid tags the registry listed, before `keep`. */
  listed: number
  /** Tags dropped because they break the tag grammar. */
  invalid: number
  pages: number
  /** False when listing stopped early (cross-host Link, page cap, Link loop): see warnings. */
  complete: boolean
  warnings: string[]
}

const SMALLEST_PAGE = 10

export async function listTags(
  transport: RegistryTransport,
  repository: string,
  keep: (tag: string) => boolean = () => true,
): Promise<TagListing> {
  const listing: TagListing = { tags: [], listed: 0, invalid: 0, pages: 0, complete: true, warnings: [] }
  const seen = new Set<string>()
  const visited = new Set<string>()
  let url: string | undefined = firstPageUrl(transport, repository)
  while (url) {
    if (listing.pages >= transport.settings.maxPages) {
      stopEarly(listing, `stopped after ${listing.pages} pages (maxPages); the tag list is incomplete`)
      break
    }
    visited.add(url)
    const response = await fetchPage(transport, repository, url, listing.pages === 0)
    listing.pages++
    addTags(listing, seen, readTags(response, repository), keep)
    url = nextPageUrl(listing, response, url, visited)
  }
  return listing
}

function firstPageUrl(transport: RegistryTransport, repository: string): string {
  return `${transport.settings.endpoint}/v2/${repository}/tags/list?n=${transport.pageSize}`
}

async function fetchPage(
  transport: RegistryTransport,
  repository: string,
  pageUrl: string,
  isFirst: boolean,
): Promise<HttpResponse> {
  let url = pageUrl
  for (;;) {
    const response = await transport.request({ kind: 'tags', url, repository })
    if (response.status === 200) return response
    if (response.status === 404) {
      throw new RegistryError(
        `repository ${repository} not found on ${transport.settings.host} (${describeStatus(404, response.body)}); check the image name`,
        { transient: false, status: 404 },
      )
    }
    const pageSizeRejected = isFirst && (response.status === 400 || response.status === 405)
    const smaller = transport.pageSize > 100 ? 100 : Math.floor(transport.pageSize / 2)
    if (!pageSizeRejected || smaller < SMALLEST_PAGE) {
      throw new RegistryError(
        `listing tags of ${repository} answered ${describeStatus(response.status, response.body)}`,
        {
          transient: false,
          status: response.status,
        },
      )
    }
    // Remembered for the registry so later repositories and scans do not pay for the rejection.
    transport.pageSize = smaller
    url = firstPageUrl(transport, repository)
  }
}

function readTags(response: HttpResponse, repository: string): unknown[] {
  let json: unknown
  try {
    json = JSON.parse(response.body.toString('utf8'))
  } catch {
    throw new RegistryError(`tags/list for ${repository} returned a body that is not JSON`, {
      transient: false,
    })
  }
  // The documented shape is {"name": …, "tags": [...]}; a bare array or any other value is not an
  // empty repository, and reading it as "no tags" would hide a broken registry or proxy.
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    const shape = Array.isArray(json) ? 'a JSON array' : json === null ? 'null' : `a JSON ${typeof json}`
    throw new RegistryError(
      `tags/list for ${repository} returned ${shape}, not an object {"name", "tags"}; check the registry or the proxy before it`,
      { transient: false },
    )
  }
  const tags = (json as { tags?: unknown }).tags
  if (tags === null || tags === undefined) return []
  if (!Array.isArray(tags)) {
    throw new RegistryError(`tags/list for ${repository} returned "tags" that is not a list`, {
      transient: false,
    })
  }
  return tags
}

function addTags(
  listing: TagListing,
  seen: Set<string>,
  page: unknown[],
  keep: (tag: string) => boolean,
): void {
  for (const tag of page) {
    if (typeof tag !== 'string' || !isValidTag(tag)) {
      listing.invalid++
      continue
    }
    if (seen.has(tag)) continue
    seen.add(tag)
    listing.listed++
    if (keep(tag)) listing.tags.push(tag)
  }
}

function nextPageUrl(
  listing: TagListing,
  response: HttpResponse,
  currentUrl: string,
  visited: Set<string>,
): string | undefined {
  const link = nextLink(response.headers.link)
  if (!link) return undefined
  let next: URL
  try {
    next = new URL(link, currentUrl)
  } catch {
    stopEarly(listing, 'the Link header of a tags page is unparsable; the tag list is incomplete')
    return undefined
  }
  if (next.host !== new URL(currentUrl).host) {
    stopEarly(
      listing,
      `the next tags page is on another host (${next.host}); not followed, the tag list is incomplete`,
    )
    return undefined
  }
  if (visited.has(next.href)) {
    stopEarly(
      listing,
      `the Link header loops back to ${redactUrl(next.href)}; the tag list may be incomplete`,
    )
    return undefined
  }
  return next.href
}

function stopEarly(listing: TagListing, warning: string): void {
  listing.complete = false
  listing.warnings.push(warning)
}

/** The target of the rel="next" entry of a Link header (RFC 8288), if any. */
export function nextLink(header: string | string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header.join(', ') : header
  if (!text) return undefined
  for (const match of text.matchAll(/<([^>]*)>([^,<]*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))/i.exec(match[2] ?? '')
    const relations = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/)
    if (relations.includes('next')) return match[1]
  }
  return undefined
}
