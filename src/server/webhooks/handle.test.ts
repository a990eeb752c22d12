import { describe, expect, it } from 'vitest'
import { WEBHOOK_TYPES as CONFIG_WEBHOOK_TYPES } from '../../config/schema.js'
import { signSha256 } from './auth.js'
import { handleWebhook } from './handle.js'
import { MAX_WEBHOOK_BODY_BYTES, WEBHOOK_TYPES, type WebhookRequest, type WebhookType } from './types.js'

const SECRET = 's3cret-s3cret-s3cret'
const OTHER = 'not-the-secret-at-all'

/** A realistic body per type (fields trimmed to what matters plus some noise the receivers must ignore). */
const VALID: Record<WebhookType, { body: unknown; headers?: Record<string, string>; expected: string[] }> = {
  dockerhub: {
    body: {
      callback_url: 'https://registry.hub.docker.com/u/acme/app/hook/2141b5bi5i5b02bec211i4eeih0242eg11000a/',
      push_data: { pushed_at: 1417566161, pusher: 'trustedbuilder', tag: 'latest' },
      repository: { name: 'app', namespace: 'acme', repo_name: 'acme/app', status: 'Active' },
    },
    expected: ['docker.io/acme/app'],
  },
  github: {
    headers: { 'x-github-event': 'package' },
    body: {
      action: 'published',
      package: {
        id: 1,
        name: 'App',
        namespace: 'Acme',
        ecosystem: 'CONTAINER',
        package_type: 'container',
        owner: { login: 'Acme' },
        package_version: { container_metadata: { tag: { name: '1.2.3', digest: 'sha256:ab' } } },
      },
      repository: { full_name: 'Acme/app' },
    },
    expected: ['ghcr.io/acme/app'],
  },
  quay: {
    body: {
      repository: 'acme/app',
      namespace: 'acme',
      name: 'app',
      docker_url: 'quay.io/acme/app',
      homepage: 'https://quay.io/repository/acme/app',
      updated_tags: ['1.2.3'],
    },
    expected: ['quay.io/acme/app'],
  },
  harbor: {
    headers: { authorization: SECRET },
    body: {
      type: 'PUSH_ARTIFACT',
      occur_at: 1680501893,
      operator: 'admin',
      event_data: {
        resources: [{ digest: 'sha256:ab', tag: '1.2.3', resource_url: 'harbor.example.com/team/app:1.2.3' }],
        repository: { name: 'app', namespace: 'team', repo_full_name: 'team/app', repo_type: 'private' },
      },
    },
    expected: ['harbor.example.com/team/app'],
  },
  distribution: {
    headers: { authorization: `Bearer ${SECRET}` },
    body: {
      events: [
        {
          id: 'e1',
          action: 'push',
          target: {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: 'sha256:ab',
            repository: 'team/app',
            url: 'http://127.0.0.1:5000/v2/team/app/manifests/sha256:ab',
            tag: '1.2.3',
          },
          request: { id: 'r1', addr: '127.0.0.1:4000', host: '127.0.0.1:5000', method: 'PUT' },
          source: { addr: 'host:5000', instanceID: 'x' },
        },
      ],
    },
    expected: ['127.0.0.1:5000/team/app'],
  },
  generic: {
    body: { repositories: ['ghcr.io/acme/app:1.2.3', 'localhost:5000/app', 'nginx'] },
    expected: ['ghcr.io/acme/app', 'localhost:5000/app', 'nginx'],
  },
}

/** A request authenticated the way each type is, unless `auth` overrides it. */
function request(
  type: WebhookType,
  body: unknown,
  auth: { secret?: string; drop?: boolean } = {},
): WebhookRequest {
  const raw = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body))
  const secret = auth.secret ?? SECRET
  const headers: Record<string, string> = { 'content-type': 'application/json', ...VALID[type].headers }
  const req: WebhookRequest = { type, headers, body: raw }
  if (type === 'harbor') headers.authorization = secret
  if (type === 'distribution') headers.authorization = `Bearer ${secret}`
  if (type === 'github') headers['x-hub-signature-256'] = signSha256(raw, secret)
  if (type === 'generic') headers['x-signature'] = signSha256(raw, secret)
  if (type === 'dockerhub' || type === 'quay') req.pathSecret = secret
  if (auth.drop) {
    delete headers.authorization
    delete headers['x-hub-signature-256']
    delete headers['x-signature']
    delete req.pathSecret
  }
  return req
}

describe('handleWebhook, every type', () => {
  it('covers the same types as the config schema', () => {
    expect([...WEBHOOK_TYPES].sort()).toEqual([...CONFIG_WEBHOOK_TYPES].sort())
  })

  for (const type of WEBHOOK_TYPES) {
    describe(type, () => {
      it('a valid request yields its repositories', () => {
        expect(handleWebhook(request(type, VALID[type].body), SECRET)).toEqual({
          ok: true,
          repositories: VALID[type].expected,
        })
      })

      it('a wrong secret or forged signature is 401', () => {
        const outcome = handleWebhook(request(type, VALID[type].body, { secret: OTHER }), SECRET)
        expect(outcome).toMatchObject({ ok: false, status: 401 })
        expect(JSON.stringify(outcome)).not.toContain(SECRET)
      })

      it('missing authentication is 401', () => {
        expect(handleWebhook(request(type, VALID[type].body, { drop: true }), SECRET)).toMatchObject({
          ok: false,
          status: 401,
        })
      })

      it('authentication is checked before the body is parsed', () => {
        const outcome = handleWebhook(request(type, '{not json', { secret: OTHER }), SECRET)
        expect(outcome).toMatchObject({ ok: false, status: 401 })
      })

      it('malformed JSON is 400', () => {
        expect(handleWebhook(request(type, '{"repository": '), SECRET)).toMatchObject({
          ok: false,
          status: 400,
        })
      })

      it('JSON of the wrong shape is 400', () => {
        expect(handleWebhook(request(type, [1, 2]), SECRET)).toMatchObject({ ok: false, status: 400 })
      })

      it('an empty configured secret accepts nothing', () => {
        expect(handleWebhook(request(type, VALID[type].body, { secret: '' }), '')).toMatchObject({
          status: 401,
        })
      })
    })
  }
})

describe('handleWebhook edge cases', () => {
  it('rejects an unknown type and an oversized body', () => {
    const unknown = { ...request('generic', {}), type: 'gitlab' as WebhookType }
    expect(handleWebhook(unknown, SECRET)).toMatchObject({ ok: false, status: 400 })
    const huge = request('generic', { repository: 'x'.repeat(MAX_WEBHOOK_BODY_BYTES) })
    expect(handleWebhook(huge, SECRET)).toMatchObject({ ok: false, status: 400 })
  })

  it('a signature over other bytes (re-serialised JSON) fails', () => {
    const req = request('generic', { repository: 'ghcr.io/acme/app' })
    const tampered = { ...req, body: Buffer.from('{"repository": "ghcr.io/evil/app"}') }
    expect(handleWebhook(tampered, SECRET)).toMatchObject({ status: 401 })
  })

  it('a repeated Authorization header is ambiguous and fails', () => {
    const req = request('harbor', VALID.harbor.body)
    req.headers.authorization = [SECRET, SECRET]
    expect(handleWebhook(req, SECRET)).toMatchObject({ status: 401 })
  })

  it('a payload naming an invalid repository is 400 and nothing is scanned', () => {
    const outcome = handleWebhook(request('generic', { repositories: ['ok/app', 'Bad Name'] }), SECRET)
    expect(outcome).toMatchObject({ ok: false, status: 400 })
    if (!outcome.ok) expect(outcome.message).toContain('invalid image repository')
  })

  it('duplicate repositories are reported once', () => {
    const outcome = handleWebhook(request('generic', { repositories: ['a/b:1', 'a/b:2', 'a/b'] }), SECRET)
    expect(outcome).toEqual({ ok: true, repositories: ['a/b'] })
  })
})
