// The generic receiver, for CI jobs and anything else: `X-Signature: sha256=<hex HMAC-SHA256 of the body>`
// and a body `{"repository": "ghcr.io/acme/app"}` or `{"repositories": ["…", "…"]}`.
import * as z from 'zod'
import { header, hmacSha256Valid, signatureWellFormed } from './auth.js'
import { imageRepository, readPayload } from './payload.js'
import type { WebhookSource } from './types.js'

const genericPayload = z
  .object({ repository: z.string().min(1).optional(), repositories: z.array(z.string().min(1)).optional() })
  .refine((body) => body.repository !== undefined || (body.repositories?.length ?? 0) > 0, {
    message: 'expected "repository" or a non-empty "repositories" list',
  })

export const generic: WebhookSource = {
  authenticateHead: (request) => signatureWellFormed(header(request, 'x-signature')),
  authenticateBody: (request, secret) =>
    hmacSha256Valid(header(request, 'x-signature'), request.body, secret),
  repositories(payload) {
    const body = readPayload(genericPayload, payload, 'generic')
    const named = [...(body.repository ? [body.repository] : []), ...(body.repositories ?? [])]
    return named.map((reference) => imageRepository(reference, 'generic'))
  },
}
