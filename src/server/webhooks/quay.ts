// Quay (quay.io or self-hosted) repository notifications: secret in the URL (`POST /hooks/quay/<secret>`).
// Read: `docker_url` (`quay.io/ns/repo`), present in push and build notifications alike.
import * as z from 'zod'
import { secretsEqual } from './auth.js'
import { imageRepository, readPayload } from './payload.js'
import type { WebhookSource } from './types.js'

const quayPayload = z.object({ docker_url: z.string().min(1) })

export const quay: WebhookSource = {
  authenticateHead: (request, secret) => secretsEqual(request.pathSecret, secret),
  repositories(payload) {
    const { docker_url } = readPayload(quayPayload, payload, 'Quay')
    return [imageRepository(docker_url, 'Quay')]
  },
}
