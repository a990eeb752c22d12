// Microsoft Teams incoming webhooks (and Power Automate's "post to a channel when a webhook request is
// received" flow): a MessageCard with the headline as title and the changes as facts.
import { changeLines, headline, type NotifyEvent } from '../event.js'
import { JSON_HEADERS, type OutgoingRequest } from './types.js'

const COLORS = { commit: '2EB886', error: 'D13438', recovered: '0078D7' } as const

export function msteams(event: NotifyEvent): OutgoingRequest {
  const facts = [
    { name: 'repository', value: event.repository },
    ...(event.commit ? [{ name: 'commit', value: event.commit.sha }] : []),
    ...(event.error ? [{ name: 'transient', value: String(event.error.transient) }] : []),
  ]
  const body = {
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    summary: headline(event).slice(0, 200),
    themeColor: COLORS[event.event],
    title: headline(event),
    sections: [{ facts, text: changeLines(event).join('<br>') || event.error?.message || '' }],
  }
  return { headers: JSON_HEADERS, body: JSON.stringify(body) }
}
