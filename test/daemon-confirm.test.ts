// A webhook's scan is confirmed by a second scan a moment later: the distribution registry sends its push
// event before the tag is linked, so the first scan may not list the tag yet.
import { afterAll, describe, expect, it } from 'vitest'
import { signSha256 } from '../src/server/webhooks/index.js'
import { type Daemon, startDaemon } from '../workers/daemon.js'
import { createLogger } from '../workers/logger.js'
import { count, memoryLog, recordingHandlers, sleep, waitFor } from './support/daemon-helpers.js'

const SECRET = 'generic-s3cret-confirm'
const APP = 'docker.io/acme/app'
let daemon: Daemon | undefined
afterAll(() => daemon?.close())

describe('confirming scan', () => {
  it('scans a webhook’s image at once and once more after the confirmation delay', async () => {
    const log = memoryLog()
    daemon = await startDaemon({
      handlers: recordingHandlers({
        log,
        images: [{ image: APP, configRepos: ['http://127.0.0.1:1/a.git'], intervalMs: 3_600_000 }],
      }),
      backend: 'embedded',
      listen: '127.0.0.1:0',
      coalesceMs: 0,
      webhooks: [{ type: 'generic', secret: SECRET }],
      logger: createLogger({ level: 'silent' }),
      tuning: { confirmScanMs: 400 },
    })
    await waitFor(() => count(log.all(), 'scan', 'end', APP) === 1, 'the scheduled first scan')
    const body = JSON.stringify({ repository: 'acme/app' })
    const posted = Date.now()
    const response = await fetch(`${daemon.url}/hooks/generic`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': signSha256(body, SECRET) },
      body,
    })
    expect(response.status).toBe(202)
    await waitFor(() => count(log.all(), 'scan', 'end', APP) === 2, 'the webhook scan')
    expect(Date.now() - posted).toBeLessThan(400)
    await waitFor(() => count(log.all(), 'scan', 'end', APP) === 3, 'the confirming scan')
    expect(Date.now() - posted).toBeGreaterThanOrEqual(400)
    await sleep(600)
    expect(count(log.all(), 'scan', 'start', APP)).toBe(3)
  })
})
