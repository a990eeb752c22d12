// Docker Hub: the secret is in the URL (`POST /hooks/dockerhub/<secret>`), since Hub neither signs nor sends
// custom headers. Read: `repository.repo_name` (`acme/app`, `library/nginx`) → `docker.io/<repo_name>`.
import * as z from 'zod'
import { secretsEqual } from './auth.js'
import { imageRepository, readPayload } from './payload.js'
import type { WebhookSource } from './types.js'

const dockerHubPayload = z.object({ repository: z.object({ repo_name: z.string().min(1) }) })

export const dockerhub: WebhookSource = {
  authenticateHead: (request, secret) => secretsEqual(request.pathSecret, secret),
  repositories(payload) {
    const { repository } = readPayload(dockerHubPayload, payload, 'Docker Hub')
    return [imageRepository(`docker.io/${repository.repo_name}`, 'Docker Hub')]
  },
}
