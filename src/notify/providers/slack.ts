// Slack incoming webhooks: `text` (the fallback and notification line) plus one mrkdwn section.
// Slack reads <, > and & as markup, so they are escaped as its docs ask.
import { changeLines, headline, type NotifyEvent } from '../event.js'
import { JSON_HEADERS, type OutgoingRequest } from './types.js'

const escapeSlack = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

export function slack(event: NotifyEvent): OutgoingRequest {
  const text = escapeSlack(headline(event))
  const details = changeLines(event).map((line) => `• ${escapeSlack(line)}`)
  const body = {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: [text, ...details].join('\n').slice(0, 3000) } },
    ],
  }
  return { headers: JSON_HEADERS, body: JSON.stringify(body) }
}
