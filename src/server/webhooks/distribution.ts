// CNCF distribution (the reference registry) notifications: `Authorization: Bearer <secret>` (configured as
// `headers` of the endpoint). Read from the envelope `{events: [...]}` only `push` events whose
// `target.mediaType` is a manifest or index; pulls and blob pushes are ignored. The repository is
// `target.repository` and the host `request.host` (the Host its client used), else the host of `target.url`.
import * as z from 'zod'
import { header, secretsEqual } from './auth.js'
import { hostedRepository, readPayload } from './payload.js'
import { PayloadError, type WebhookSource } from './types.js'

const MANIFEST_MEDIA_TYPES = new Set([
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
])

const event = z.object({
  action: z.string(),
  target: z
    .object({
      mediaType: z.string().optional(),
      repository: z.string().optional(),
      url: z.string().optional(),
    })
    .optional(),
  request: z.object({ host: z.string().optional() }).optional(),
})
const envelope = z.object({ events: z.array(event) })
type DistributionEvent = z.infer<typeof event>

export const distribution: WebhookSource = {
  authenticateHead: (request, secret) => secretsEqual(header(request, 'authorization'), `Bearer ${secret}`),
  repositories(payload) {
    const { events } = readPayload(envelope, payload, 'distribution notification')
    return events.filter(isManifestPush).map((pushed) => {
      const host = pushed.request?.host || hostOf(pushed.target?.url)
      const repository = pushed.target?.repository
      if (!host || !repository) {
        throw new PayloadError('distribution push event lacks target.repository or the registry host')
      }
      return hostedRepository(host, repository, 'distribution')
    })
  },
}

function isManifestPush(candidate: DistributionEvent): boolean {
  return candidate.action === 'push' && MANIFEST_MEDIA_TYPES.has(candidate.target?.mediaType ?? '')
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined
  try {
    return new URL(url).host || undefined
  } catch {
    return undefined
  }
}
