// A configured `notify:` entry, which events it wants, and how it is named in logs: receiver URLs carry
// their secret in the path (Slack, Discord, Teams), so only the origin is ever logged.
import { createHash } from 'node:crypto'
import { redactCredentials } from '../redact.js'
import type { EventKind, NotifyEvent } from './event.js'
import type { NotifyType } from './providers/index.js'

export interface NotifyTarget {
  type: NotifyType
  url: string
  secret?: string
  events: EventKind[]
  repositories?: string[]
  namespaces?: string[]
}

/** A stable name for the outbox: the same entry keeps it across restarts, whatever its position. */
export function targetKey(target: NotifyTarget): string {
  return createHash('sha256').update(`${target.type} ${target.url}`).digest('hex').slice(0, 16)
}

/** `https://hooks.slack.com/…`: where it goes, without the path or query that hold the secret. */
export function loggableUrl(url: string): string {
  try {
    return `${new URL(url).origin}/…`
  } catch {
    return '(invalid URL)'
  }
}

/**
 * The event as this target should get it, or undefined when it is not wanted. A namespace filter keeps only
 * the commit's changes in those namespaces (none left: not sent); error and recovered events concern the
 * whole repository and pass it.
 */
export function eventFor(target: NotifyTarget, event: NotifyEvent): NotifyEvent | undefined {
  if (!target.events.includes(event.event)) return undefined
  if (target.repositories && !target.repositories.some((r) => redactCredentials(r) === event.repository))
    return undefined
  if (!target.namespaces || !event.commit) return event
  const namespaces = target.namespaces
  const changes = event.commit.changes.filter((c) => namespaces.includes(c.workload.split(':')[0] ?? ''))
  return changes.length === 0 ? undefined : { ...event, commit: { ...event.commit, changes } }
}
