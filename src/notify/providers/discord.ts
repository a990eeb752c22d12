// Discord webhooks: one embed. `allowed_mentions: {parse: []}` so that a tag or an error text holding
// "@everyone" can never ping anyone.
import { changeLines, headline, type NotifyEvent } from '../event.js'
import { JSON_HEADERS, type OutgoingRequest } from './types.js'

const COLORS = { commit: 0x2eb886, error: 0xd13438, recovered: 0x0078d7 } as const

export function discord(event: NotifyEvent): OutgoingRequest {
  const description = changeLines(event).join('\n') || event.error?.message || ''
  const body = {
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: headline(event).slice(0, 256),
        description: description.slice(0, 4096),
        color: COLORS[event.event],
        timestamp: event.at,
        fields: [{ name: 'repository', value: event.repository.slice(0, 1024) }],
      },
    ],
  }
  return { headers: JSON_HEADERS, body: JSON.stringify(body) }
}
