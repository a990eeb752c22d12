import { register as globalRegistry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { createMetrics } from './metrics.js'

describe('createMetrics', () => {
  it('records every metric with its labels on its own registry', async () => {
    const metrics = createMetrics()
    metrics.registryRequest('ghcr.io', 'tags', 200)
    metrics.registryRequest('ghcr.io', 'tags', 200)
    metrics.registryRequest('docker.io', 'manifest', 'error')
    metrics.rateLimitRemaining('docker.io', 76)
    metrics.startScan('docker.io/library/nginx')()
    metrics.startUpdate('https://git.example/gitops.git')()
    metrics.updateFinished('https://git.example/gitops.git', 'updated')
    metrics.pushFinished('https://git.example/gitops.git', 'rejected')
    metrics.lastSuccess('https://git.example/gitops.git', new Date('2024-02-01T00:00:00Z'))
    metrics.webhook('github', { ok: true, repositories: [] })
    metrics.webhook('github', { ok: true, repositories: ['ghcr.io/a/b'] })
    metrics.webhook('quay', { ok: false, status: 401, message: 'no' })
    metrics.webhook('generic', { ok: false, status: 400, message: 'bad' })
    metrics.webhook('unknown', 'too_large')

    const { body, contentType } = await metrics.render()
    expect(contentType).toContain('text/plain')
    const repo = 'repository="https://git.example/gitops.git"'
    for (const line of [
      'imagebot_registry_requests_total{registry="ghcr.io",kind="tags",status="200"} 2',
      'imagebot_registry_requests_total{registry="docker.io",kind="manifest",status="error"} 1',
      'imagebot_registry_ratelimit_remaining{registry="docker.io"} 76',
      'imagebot_scan_duration_seconds_count{repository="docker.io/library/nginx"} 1',
      `imagebot_update_duration_seconds_count{${repo}} 1`,
      `imagebot_updates_total{${repo},result="updated"} 1`,
      `imagebot_pushes_total{${repo},result="rejected"} 1`,
      `imagebot_last_success_timestamp_seconds{${repo}} 1706745600`,
      'imagebot_webhooks_total{type="github",result="ignored"} 1',
      'imagebot_webhooks_total{type="github",result="accepted"} 1',
      'imagebot_webhooks_total{type="quay",result="unauthorized"} 1',
      'imagebot_webhooks_total{type="generic",result="invalid"} 1',
      'imagebot_webhooks_total{type="unknown",result="too_large"} 1',
    ]) {
      expect(body.split('\n')).toContain(line)
    }
  })

  it('instances are independent and leave the global registry alone', async () => {
    const first = createMetrics()
    const second = createMetrics({ processMetrics: true })
    first.updateFinished('r', 'error')
    expect((await second.render()).body).not.toContain('imagebot_updates_total{')
    expect((await second.render()).body).toContain('imagebot_process_cpu_seconds_total')
    expect(await globalRegistry.metrics()).not.toContain('imagebot_')
  })
})
