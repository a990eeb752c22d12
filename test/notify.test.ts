// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the config file's own syntax, not a template
// Notifications against a real local HTTP receiver: the payload of each receiver type, the HMAC signature,
// retries on 500 then one log line, one event per state change, filters, delivery that never holds up the
// update, and no event lost or sent twice across a daemon restart on a real Redis.
import { createHmac } from 'node:crypto'
import { Writable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../src/config/load.js'
import { Notifier, type NotifyRetry } from '../src/notify/notifier.js'
import type { NotifyTarget } from '../src/notify/target.js'
import type { PipelineHandlers, UpdateOutcome } from '../src/queue/contract.js'
import { EmbeddedBackend } from '../src/queue/embedded.js'
import { memoryHashStorage } from '../src/server/status.js'
import { startDaemon } from '../workers/daemon.js'
import { createLogger } from '../workers/logger.js'
import { sleep, waitFor } from './support/daemon-helpers.js'
import { type Receiver, startReceiver } from './support/receiver.js'
import { startRedis } from './support/redis.js'

const REPO = 'https://bot:s3cret@git.example/org/gitops.git'
const SHOWN = 'https://git.example/org/gitops.git'
const SECRET = 'notify-hmac-secret-0123456789'
const FAST: NotifyRetry = { attempts: 3, baseMs: 20, timeoutMs: 2000 }
const ALL = ['commit', 'error', 'recovered'] as const

const COMMIT: UpdateOutcome = {
  commit: '0123456789abcdef0123456789abcdef01234567',
  subject: 'Auto-release stefanprodan/podinfo:dev-abc1234',
  changes: [
    {
      file: 'releases/dev/podinfo.yaml',
      workload: 'dev:helmrelease/podinfo',
      container: 'chart-image',
      current: 'stefanprodan/podinfo:dev-000',
      next: 'stefanprodan/podinfo:dev-abc1234',
    },
    {
      file: 'releases/prod/podinfo.yaml',
      workload: 'prod:helmrelease/podinfo',
      container: 'chart-image',
      current: 'stefanprodan/podinfo:1.0.0',
      next: 'stefanprodan/podinfo:1.1.0',
    },
  ],
  updates: 2,
  errors: [],
  targets: [],
}
const FAILED: UpdateOutcome = {
  updates: 0,
  errors: ['push rejected: 403 @everyone'],
  transient: false,
  targets: [],
}
const FINE: UpdateOutcome = { updates: 0, errors: [], targets: [] }

const stops: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop()
})

function logLines() {
  const lines: Record<string, unknown>[] = []
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)))
      done()
    },
  })
  return { lines, logger: createLogger({ level: 'debug', destination }) }
}

async function receiver(): Promise<Receiver> {
  const started = await startReceiver()
  stops.push(() => started.stop())
  return started
}

function notifier(targets: NotifyTarget[], logger = createLogger({ level: 'silent' })) {
  const locks = new EmbeddedBackend({ coalesceMs: 0 })
  const created = new Notifier({
    targets,
    storage: memoryHashStorage(),
    lock: (name, ttl) => locks.acquireLock(name, ttl),
    logger,
    retry: FAST,
  })
  created.start()
  stops.push(() => created.close())
  return created
}

const target = (
  rx: Receiver,
  type: NotifyTarget['type'],
  extra: Partial<NotifyTarget> = {},
): NotifyTarget => ({
  type,
  url: `${rx.url}/${type}/T000/B000/hook-secret`,
  events: [...ALL],
  ...(type === 'generic-hmac' && { secret: SECRET }),
  ...extra,
})

const bodyOf = (rx: Receiver, path: string) =>
  JSON.parse(rx.received.find((r) => r.path.startsWith(path))!.body)

describe('notifications', () => {
  it('sends each receiver type the payload it expects', async () => {
    const rx = await receiver()
    const types = ['slack', 'msteams', 'discord', 'generic', 'generic-hmac'] as const
    const n = notifier(types.map((type) => target(rx, type)))
    await n.recordUpdate(REPO, COMMIT)
    await waitFor(() => rx.received.length === 5, 'five deliveries')

    const slack = bodyOf(rx, '/slack/')
    expect(slack.text).toBe(`imagebot pushed 01234567 to ${SHOWN}: ${COMMIT.subject}`)
    expect(slack.blocks[0].text.text).toContain(
      '• prod:helmrelease/podinfo chart-image: stefanprodan/podinfo:1.0.0 → stefanprodan/podinfo:1.1.0',
    )
    const teams = bodyOf(rx, '/msteams/')
    expect(teams).toMatchObject({ '@type': 'MessageCard', themeColor: '2EB886', title: slack.text })
    expect(teams.sections[0].facts).toContainEqual({ name: 'commit', value: COMMIT.commit })
    const discord = bodyOf(rx, '/discord/')
    expect(discord.allowed_mentions).toEqual({ parse: [] })
    expect(discord.embeds[0]).toMatchObject({
      title: slack.text,
      fields: [{ name: 'repository', value: SHOWN }],
    })
    const generic = bodyOf(rx, '/generic/')
    expect(generic).toMatchObject({
      event: 'commit',
      repository: SHOWN,
      commit: { sha: COMMIT.commit, subject: COMMIT.subject, changes: COMMIT.changes },
    })
    expect(generic.id).toMatch(/^[0-9a-f-]{36}$/)
    // Never the repository's credentials.
    expect(rx.received.every((r) => !r.body.includes('s3cret'))).toBe(true)

    const signed = rx.received.find((r) => r.path.startsWith('/generic-hmac/'))!
    const expected = `sha256=${createHmac('sha256', SECRET).update(signed.body).digest('hex')}`
    expect(signed.headers['x-signature']).toBe(expected)
    expect(JSON.parse(signed.body)).toEqual(generic)
    expect(rx.received.find((r) => r.path.startsWith('/generic/'))!.headers['x-signature']).toBeUndefined()
    expect(new Set(rx.received.map((r) => r.headers['x-imagebot-event'])).size).toBe(1)
  })

  it('reports an error once per state change, not once per run', async () => {
    const rx = await receiver()
    const n = notifier([target(rx, 'generic')])
    const runs = [FAILED, FAILED, FAILED, FINE, FINE, FAILED, FAILED, COMMIT]
    for (const [minute, outcome] of runs.entries())
      await n.recordUpdate(REPO, outcome, new Date(Date.UTC(2026, 11, 1, 10, minute)))
    await waitFor(() => rx.received.length >= 5, 'the deliveries')
    await sleep(200)
    // Events are sent side by side, so they arrive in any order: sort them by run, then as generated.
    const order = ['error', 'commit', 'recovered']
    const events = rx.received
      .map((r) => JSON.parse(r.body))
      .sort((a, b) => a.at.localeCompare(b.at) || order.indexOf(a.event) - order.indexOf(b.event))
    expect(events.map((e) => e.event)).toEqual(['error', 'recovered', 'error', 'commit', 'recovered'])
    expect(events[0].error).toEqual({
      message: 'push rejected: 403 @everyone',
      where: SHOWN,
      transient: false,
    })
  })

  it('retries a 500 with backoff, then gives up with one log line naming only the origin', async () => {
    const rx = await receiver()
    rx.respond = (path, index) =>
      path.startsWith('/slack/') && index < 2 ? 500 : path.startsWith('/discord/') ? 500 : 200
    const { lines, logger } = logLines()
    const n = notifier([target(rx, 'slack'), target(rx, 'discord')], logger)
    await n.recordUpdate(REPO, COMMIT)
    await waitFor(
      () => lines.some((line) => line.msg === 'notification not delivered; dropped after retries'),
      'the give-up line',
    )
    const slack = rx.received.filter((r) => r.path.startsWith('/slack/'))
    const discord = rx.received.filter((r) => r.path.startsWith('/discord/'))
    expect(slack).toHaveLength(3) // 500, 500, 200
    expect(discord).toHaveLength(FAST.attempts)
    const warnings = lines.filter((line) => line.level === 40)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatchObject({
      notify: 'discord',
      attempts: 3,
      error: 'HTTP 500',
      url: `${rx.url}/…`,
    })
    expect(JSON.stringify(lines)).not.toContain('hook-secret')
  })

  it('filters by event, repository and namespace', async () => {
    const rx = await receiver()
    const n = notifier([
      target(rx, 'generic', { url: `${rx.url}/errors-only`, events: ['error'] }),
      target(rx, 'generic', { url: `${rx.url}/other-repo`, repositories: ['https://git.example/other.git'] }),
      target(rx, 'generic', { url: `${rx.url}/prod`, namespaces: ['prod'], repositories: [SHOWN] }),
      target(rx, 'generic', { url: `${rx.url}/staging`, namespaces: ['staging'] }),
    ])
    await n.recordUpdate(REPO, COMMIT)
    await n.recordUpdate(REPO, FAILED)
    await waitFor(() => rx.received.length >= 3, 'the deliveries')
    await sleep(200)
    const paths = rx.received.map((r) => `${r.path} ${JSON.parse(r.body).event}`).sort()
    expect(paths).toEqual(['/errors-only error', '/prod commit', '/prod error', '/staging error'])
    const prod = rx.received.find((r) => r.path === '/prod' && JSON.parse(r.body).event === 'commit')!
    expect(JSON.parse(prod.body).commit.changes.map((c: { workload: string }) => c.workload)).toEqual([
      'prod:helmrelease/podinfo',
    ])
  })

  it('an update never waits for a receiver that does not answer', async () => {
    const rx = await receiver()
    rx.respond = () => 'hang'
    const n = notifier([target(rx, 'generic')])
    await n.recordUpdate(REPO, COMMIT)
    // The update's part is done while the receiver still holds the request.
    await n.recordUpdate(REPO, FAILED)
    await waitFor(() => rx.received.length === 2, 'both requests in flight')
    rx.release()
  })
})

describe('notify configuration', () => {
  const parse = (yaml: string, env = {}) => parseConfig(yaml, 'imagebot.yaml', '/tmp', env)

  it('reads each entry with events defaulting to all, and ${VAR} in the URL', () => {
    const config = parse(
      'notify:\n  - { type: slack, url: "${SLACK_URL}" }\n  - { type: generic-hmac, url: "https://ci.example/hook", secret: "' +
        SECRET +
        '", events: [error], namespaces: [prod] }\n',
      { SLACK_URL: 'https://hooks.slack.com/services/T/B/x' },
    )
    expect(config.notify).toEqual([
      {
        type: 'slack',
        url: 'https://hooks.slack.com/services/T/B/x',
        events: ['commit', 'error', 'recovered'],
      },
      {
        type: 'generic-hmac',
        url: 'https://ci.example/hook',
        secret: SECRET,
        events: ['error'],
        namespaces: ['prod'],
      },
    ])
  })

  it('rejects what it could not honour', () => {
    expect(() => parse('notify: [{ type: generic-hmac, url: "https://x.example/h" }]')).toThrow(/secret/)
    expect(() => parse(`notify: [{ type: slack, url: "https://x.example/h", secret: "${SECRET}" }]`)).toThrow(
      /uses no secret/,
    )
    expect(() => parse('notify: [{ type: email, url: "https://x.example/h" }]')).toThrow(/slack, msteams/)
    expect(() => parse('notify: [{ type: slack, url: "https://x.example/h", events: [push] }]')).toThrow(
      /commit/,
    )
    expect(() => parse('notify: [{ type: slack, url: "ftp://x.example/h" }]')).toThrow(/http/)
  })
})

describe('notifications across a daemon restart on Redis', () => {
  it('loses no event and sends none twice', async () => {
    const redis = await startRedis()
    stops.push(() => redis.stop())
    const rx = await receiver()
    let down = true
    rx.respond = () => (down ? 500 : 200)
    const outcomes: UpdateOutcome[] = [FINE, COMMIT, FAILED]
    const handlers: PipelineHandlers = {
      discover: async () => [{ image: 'docker.io/acme/app', configRepos: [REPO], intervalMs: 3_600_000 }],
      scan: async () => ({ changed: false, affectedConfigRepos: [], tagsSeen: 1 }),
      update: async () => outcomes.shift() ?? FAILED,
    }
    const start = () =>
      startDaemon({
        handlers,
        backend: { redisUrl: redis.url },
        listen: '127.0.0.1:0',
        coalesceMs: 0,
        repositories: [{ url: REPO, branch: 'main' }],
        notify: [target(rx, 'generic-hmac')],
        logger: createLogger({ level: 'silent' }),
        tuning: { confirmScanMs: 0, notifyRetry: { attempts: 50, baseMs: 50, timeoutMs: 2000 } },
      })
    const reconcile = (url: string) =>
      fetch(`${url}/api/reconcile`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"repo":"' + REPO + '"}',
      })

    let daemon = await start()
    // Start-up update (FINE), then a commit, then an error: two events, both refused by the receiver.
    await waitFor(() => outcomes.length === 2, 'the start-up update')
    await reconcile(daemon.url!)
    await waitFor(() => outcomes.length === 1, 'the commit run')
    await reconcile(daemon.url!)
    await waitFor(() => outcomes.length === 0, 'the failing run')
    await waitFor(() => new Set(rx.received.map((r) => JSON.parse(r.body).event)).size === 2, 'both tried')
    await daemon.close()

    down = false
    const tried = rx.received.length
    daemon = await start()
    stops.push(() => daemon.close())
    // The restarted daemon sends both from the outbox; its own start-up run fails again: no second error.
    await waitFor(() => rx.received.length - tried >= 2, 'the outbox delivered after restart')
    await reconcile(daemon.url!)
    await sleep(500)
    const delivered = rx.received.slice(tried).map((r) => JSON.parse(r.body))
    expect(delivered.map((e) => e.event).sort()).toEqual(['commit', 'error'])
    expect(new Set(delivered.map((e) => e.id)).size).toBe(2)
    const refusedIds = new Set(rx.received.slice(0, tried).map((r) => JSON.parse(r.body).id))
    expect([...refusedIds].sort()).toEqual(delivered.map((e) => e.id).sort())
  })
})
