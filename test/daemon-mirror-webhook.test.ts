// Issue 8 §3: a webhook from a registry endpoint that serves several configured hosts (one mirror for
// docker.io and public.ecr.aws) wakes the images of every one of those hosts. Before, only the host
// configured last for the endpoint was woken, so a push to the other waited for the next poll.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { endpointHosts, parseConfig } from '../src/config/index.js'
import { canonicalImages } from '../src/server/webhook-images.js'
import { type Daemon, startDaemon } from '../workers/daemon.js'
import { createLogger } from '../workers/logger.js'
import { count, memoryLog, recordingHandlers, sleep, waitFor } from './support/daemon-helpers.js'

const SECRET = 'distribution-s3cret-0123'
const MIRROR = '127.0.0.1:5999'
const HUB_APP = 'docker.io/acme/app'
const ECR_APP = 'public.ecr.aws/acme/app'
const config = parseConfig(
  `registries:
  - { host: docker.io, endpoint: "http://${MIRROR}" }
  - { host: public.ecr.aws, endpoint: "http://${MIRROR}" }
  - { host: ghcr.io }
`,
  'imagebot.yaml',
  '/srv/bot',
  {},
)

describe('endpointHosts and canonicalImages', () => {
  it('maps one endpoint to every host it serves, and keys a webhook repository under each', () => {
    expect(endpointHosts(config)).toEqual({ [MIRROR]: ['docker.io', 'public.ecr.aws'] })
    expect(
      canonicalImages([`${MIRROR}/acme/app`, 'ghcr.io/acme/x', 'NOT VALID'], endpointHosts(config)),
    ).toEqual({
      keys: [HUB_APP, ECR_APP, 'ghcr.io/acme/x'],
      invalid: ['NOT VALID'],
    })
  })

  it('keeps an endpoint host that is configured as a host of its own', () => {
    const own = parseConfig(
      `registries:\n  - { host: docker.io, endpoint: "http://${MIRROR}" }\n  - { host: "${MIRROR}" }\n`,
      'imagebot.yaml',
      '/srv/bot',
      {},
    )
    expect(canonicalImages([`${MIRROR}/acme/app`], endpointHosts(own)).keys).toEqual([
      HUB_APP,
      `${MIRROR}/acme/app`,
    ])
  })
})

describe('a mirror push webhook through the daemon', () => {
  const log = memoryLog()
  let daemon: Daemon
  beforeAll(async () => {
    daemon = await startDaemon({
      handlers: recordingHandlers({
        log,
        images: [
          { image: HUB_APP, configRepos: ['http://127.0.0.1:1/a.git'], intervalMs: 3_600_000 },
          { image: ECR_APP, configRepos: ['http://127.0.0.1:1/a.git'], intervalMs: 3_600_000 },
        ],
      }),
      backend: 'embedded',
      listen: '127.0.0.1:0',
      coalesceMs: 0,
      webhooks: [{ type: 'distribution', secret: SECRET }],
      hostAliases: endpointHosts(config),
      logger: createLogger({ level: 'silent' }),
      tuning: { confirmScanMs: 0 },
    })
    await waitFor(
      () => count(log.all(), 'scan', 'end', HUB_APP) === 1 && count(log.all(), 'scan', 'end', ECR_APP) === 1,
      'the first scans',
    )
  })
  afterAll(async () => {
    await daemon?.close()
  })

  it('queues a scan of the image under both hosts the mirror serves', async () => {
    const body = JSON.stringify({
      events: [
        {
          action: 'push',
          target: { mediaType: 'application/vnd.oci.image.manifest.v1+json', repository: 'acme/app' },
          request: { host: MIRROR },
        },
      ],
    })
    const response = await fetch(`${daemon.url}/hooks/distribution`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
      body,
    })
    expect(response.status).toBe(202)
    expect(await response.json()).toEqual({ queued: [HUB_APP, ECR_APP], ignored: [] })
    await waitFor(() => count(log.all(), 'scan', 'end', ECR_APP) === 2, 'the webhook scan of public.ecr.aws')
    await sleep(50)
    expect(count(log.all(), 'scan', 'end', HUB_APP)).toBe(2)
  })
})
