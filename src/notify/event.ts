// What a notification says, whoever receives it. Events come from update runs of config repositories:
// `commit` when one was pushed, `error` when a repository goes from fine to failing, `recovered` on its first
// success after that. A repository that keeps failing is reported once, not once per run.
import { randomUUID } from 'node:crypto'
import type { ChangeStatus, UpdateOutcome } from '../queue/contract.js'
import { redactCredentials } from '../redact.js'

export const EVENT_KINDS = ['commit', 'error', 'recovered'] as const
export type EventKind = (typeof EVENT_KINDS)[number]

export interface NotifyEvent {
  /** Unique per event; receivers may dedupe on it (sent as X-Imagebot-Event). */
  id: string
  event: EventKind
  /** ISO time the event happened. */
  at: string
  /** The config repository, credentials removed. */
  repository: string
  commit?: { sha: string; subject: string; changes: ChangeStatus[] }
  error?: { message: string; where: string; transient: boolean }
}

export type RepoHealth = 'ok' | 'error'

/** The events one update run causes, given the repository's health before it; and its health after. */
export function eventsOfUpdate(
  configRepo: string,
  outcome: UpdateOutcome,
  before: RepoHealth | undefined,
  at: Date,
): { events: NotifyEvent[]; health: RepoHealth } {
  const repository = redactCredentials(configRepo)
  const base = (event: EventKind) => ({ id: randomUUID(), event, at: at.toISOString(), repository })
  const events: NotifyEvent[] = []
  if (outcome.commit !== undefined) {
    events.push({
      ...base('commit'),
      commit: { sha: outcome.commit, subject: outcome.subject ?? '', changes: outcome.changes ?? [] },
    })
  }
  const health: RepoHealth = outcome.errors.length > 0 ? 'error' : 'ok'
  if (health === 'error' && before !== 'error') {
    events.push({
      ...base('error'),
      error: { message: outcome.errors.join('; '), where: repository, transient: outcome.transient === true },
    })
  }
  if (health === 'ok' && before === 'error') events.push(base('recovered'))
  return { events, health }
}

/** One line for chat messages and logs. */
export function headline(event: NotifyEvent): string {
  if (event.event === 'commit') {
    const count = event.commit?.changes.length ?? 0
    return `imagebot pushed ${event.commit?.sha.slice(0, 8)} to ${event.repository}: ${event.commit?.subject || `${count} image update(s)`}`
  }
  if (event.event === 'error') {
    return `imagebot: ${event.repository} is failing${event.error?.transient ? ' (transient)' : ''}: ${event.error?.message}`
  }
  return `imagebot: ${event.repository} recovered`
}

/** The changes as lines, at most `limit` of them (chat messages have size limits). */
export function changeLines(event: NotifyEvent, limit = 20): string[] {
  const changes = event.commit?.changes ?? []
  const lines = changes.slice(0, limit).map((c) => `${c.workload} ${c.container}: ${c.current} → ${c.next}`)
  if (changes.length > limit) lines.push(`… and ${changes.length - limit} more`)
  return lines
}
