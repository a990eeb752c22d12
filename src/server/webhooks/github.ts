// GitHub packages (GHCR): `X-Hub-Signature-256: sha256=<HMAC of the raw body>` with the webhook's secret.
// Events: `package` (read `package`) and the older `registry_package` (read `registry_package`), actions
// `published` / `updated`, `package_type` `container` (`CONTAINER` in registry_package); the owner is
// `namespace` (else `owner.login`), the name `name` → `ghcr.io/<owner>/<name>`, lower-cased as GHCR is.
// `ping` and every other event or package type are acknowledged with no repositories.
import * as z from 'zod'
import { header, hmacSha256Valid, signatureWellFormed } from './auth.js'
import { imageRepository, readPayload } from './payload.js'
import { PayloadError, type WebhookSource } from './types.js'

const PACKAGE_EVENTS: Record<string, 'package' | 'registry_package'> = {
  package: 'package',
  registry_package: 'registry_package',
}
const RELEVANT_ACTIONS = new Set(['published', 'updated'])

const packageInfo = z.object({
  name: z.string().min(1),
  package_type: z.string(),
  namespace: z.string().min(1).optional(),
  owner: z.object({ login: z.string().min(1) }).nullish(),
})

const packageEvent = z.object({
  action: z.string().optional(),
  package: packageInfo.optional(),
  registry_package: packageInfo.optional(),
})

export const github: WebhookSource = {
  authenticateHead: (request) => signatureWellFormed(header(request, 'x-hub-signature-256')),
  authenticateBody: (request, secret) =>
    hmacSha256Valid(header(request, 'x-hub-signature-256'), request.body, secret),
  repositories(payload, request) {
    const field = PACKAGE_EVENTS[header(request, 'x-github-event') ?? '']
    if (!field) return []
    const event = readPayload(packageEvent, payload, 'GitHub package')
    const info = event[field]
    if (!info) throw new PayloadError(`not a GitHub ${field} event: the "${field}" object is missing`)
    if (!RELEVANT_ACTIONS.has(event.action ?? '') || info.package_type.toLowerCase() !== 'container')
      return []
    const owner = info.namespace ?? info.owner?.login
    if (!owner) throw new PayloadError(`GitHub ${field} event names no owner (namespace or owner.login)`)
    return [imageRepository(`ghcr.io/${owner}/${info.name}`.toLowerCase(), 'GitHub')]
  },
}
