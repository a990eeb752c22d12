// Harbor: the webhook policy's "Auth Header" is sent verbatim as `Authorization`, so it must equal the
// secret. Read, for `PUSH_ARTIFACT` events (default payload) or `harbor.artifact.pushed` (CloudEvents):
// `event_data.repository.repo_full_name` (`data.` for CloudEvents) and the registry host from
// `resources[].resource_url` (`harbor.example.com/library/nginx:1.2`). Other events: no repositories.
import * as z from 'zod'
import { header, secretsEqual } from './auth.js'
import { hostedRepository, readPayload, registryHost } from './payload.js'
import { PayloadError, type WebhookSource } from './types.js'

const PUSH_TYPES = new Set(['PUSH_ARTIFACT', 'pushImage', 'harbor.artifact.pushed'])

const eventData = z.object({
  repository: z.object({ repo_full_name: z.string().min(1) }),
  resources: z.array(z.object({ resource_url: z.string().optional() })).default([]),
})
const harborEvent = z.object({
  type: z.string(),
  event_data: eventData.optional(),
  data: eventData.optional(),
})

export const harbor: WebhookSource = {
  authenticateHead: (request, secret) => secretsEqual(header(request, 'authorization'), secret),
  repositories(payload) {
    const event = readPayload(harborEvent, payload, 'Harbor')
    if (!PUSH_TYPES.has(event.type)) return []
    const data = event.event_data ?? event.data
    if (!data) throw new PayloadError('Harbor push event has no event_data (or data) object')
    const host = data.resources.map((resource) => registryHost(resource.resource_url ?? '')).find(Boolean)
    if (!host) {
      throw new PayloadError(
        'Harbor push event: no resource_url names the registry host; set Harbor external_url (hostname)',
      )
    }
    return [hostedRepository(host, data.repository.repo_full_name, 'Harbor')]
  },
}
