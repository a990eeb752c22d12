import { describe, expect, it } from 'vitest'
import { signSha256 } from './auth.js'
import { handleWebhook } from './handle.js'
import type { WebhookOutcome } from './types.js'

const SECRET = 'another-long-secret-value'

const send = (type: 'github' | 'generic', body: unknown, event?: string): WebhookOutcome => {
  const raw = Buffer.from(JSON.stringify(body))
  const signatureHeader = type === 'github' ? 'x-hub-signature-256' : 'x-signature'
  const headers: Record<string, string> = { [signatureHeader]: signSha256(raw, SECRET) }
  if (event) headers['X-GitHub-Event'] = event
  return handleWebhook({ type, headers, body: raw }, SECRET)
}
const withHeader = (type: 'harbor' | 'distribution', authorization: string, body: unknown) =>
  handleWebhook({ type, headers: { authorization }, body: Buffer.from(JSON.stringify(body)) }, SECRET)
const withPath = (type: 'dockerhub' | 'quay', body: unknown) =>
  handleWebhook({ type, pathSecret: SECRET, headers: {}, body: Buffer.from(JSON.stringify(body)) }, SECRET)

describe('distribution notifications', () => {
  const manifest = 'application/vnd.docker.distribution.manifest.v2+json'
  const pushed = (
    repository: string,
    mediaType = manifest,
    host: string | undefined = 'reg.example:5000',
  ) => ({
    action: 'push',
    target: { mediaType, repository, url: `https://reg.example:5000/v2/${repository}/manifests/sha256:00` },
    request: host === undefined ? {} : { host },
  })
  const notify = (events: unknown[]) => withHeader('distribution', `Bearer ${SECRET}`, { events })

  it('ignores pulls and blob pushes, keeps manifest and index pushes', () => {
    const outcome = notify([
      { ...pushed('team/pulled'), action: 'pull' },
      pushed('team/layer', 'application/vnd.docker.image.rootfs.diff.tar.gzip'),
      pushed('team/config', 'application/octet-stream'),
      pushed('team/app'),
      pushed('team/multi', 'application/vnd.oci.image.index.v1+json'),
      { action: 'delete', target: { repository: 'team/gone' } },
    ])
    expect(outcome).toEqual({
      ok: true,
      repositories: ['reg.example:5000/team/app', 'reg.example:5000/team/multi'],
    })
  })

  it('only pull and blob events give no repositories', () => {
    const outcome = notify([{ ...pushed('a/b'), action: 'pull' }, pushed('a/b', 'application/octet-stream')])
    expect(outcome).toEqual({ ok: true, repositories: [] })
  })

  it('takes the host from target.url when request.host is absent', () => {
    expect(notify([pushed('a/b', manifest, undefined)])).toEqual({
      ok: true,
      repositories: ['reg.example:5000/a/b'],
    })
  })

  it('refuses a host that would read as a Docker Hub namespace', () => {
    const outcome = notify([pushed('a/b', manifest, 'registry')])
    expect(outcome).toMatchObject({ ok: false, status: 400 })
  })

  it('needs the Bearer scheme, not the bare secret', () => {
    expect(withHeader('distribution', SECRET, { events: [] })).toMatchObject({ status: 401 })
  })
})

describe('GitHub package events', () => {
  const pkg = { name: 'app', namespace: 'acme', package_type: 'container', owner: { login: 'acme' } }

  it('answers ping and unrelated events with no repositories', () => {
    expect(send('github', { zen: 'Design for failure.', hook_id: 1 }, 'ping')).toEqual({
      ok: true,
      repositories: [],
    })
    expect(send('github', { ref: 'refs/heads/main' }, 'push')).toEqual({ ok: true, repositories: [] })
    expect(send('github', { action: 'published', package: pkg })).toEqual({ ok: true, repositories: [] })
  })

  it('reads registry_package events and owner.login when namespace is absent', () => {
    const registryPackage = { name: 'tools/cli', package_type: 'CONTAINER', owner: { login: 'Org' } }
    expect(
      send('github', { action: 'updated', registry_package: registryPackage }, 'registry_package'),
    ).toEqual({
      ok: true,
      repositories: ['ghcr.io/org/tools/cli'],
    })
  })

  it('skips other package types and actions', () => {
    const npm = { ...pkg, package_type: 'npm' }
    expect(send('github', { action: 'published', package: npm }, 'package')).toEqual({
      ok: true,
      repositories: [],
    })
    expect(send('github', { action: 'deleted', package: pkg }, 'package')).toEqual({
      ok: true,
      repositories: [],
    })
  })

  it('a package event without its package object is 400', () => {
    expect(send('github', { action: 'published' }, 'package')).toMatchObject({ ok: false, status: 400 })
  })
})

describe('Harbor', () => {
  const data = {
    resources: [{ tag: 'v1', resource_url: 'harbor.example.com:8443/proj/app:v1' }],
    repository: { repo_full_name: 'proj/app' },
  }

  it('ignores events other than pushes', () => {
    expect(withHeader('harbor', SECRET, { type: 'PULL_ARTIFACT', event_data: data })).toEqual({
      ok: true,
      repositories: [],
    })
  })

  it('reads the CloudEvents format', () => {
    const cloudEvent = { specversion: '1.0', type: 'harbor.artifact.pushed', data }
    expect(withHeader('harbor', SECRET, cloudEvent)).toEqual({
      ok: true,
      repositories: ['harbor.example.com:8443/proj/app'],
    })
  })

  it('a push whose resource_url has no host is 400 with advice', () => {
    const noHost = { ...data, resources: [{ resource_url: 'proj/app:v1' }] }
    const outcome = withHeader('harbor', SECRET, { type: 'PUSH_ARTIFACT', event_data: noHost })
    expect(outcome).toMatchObject({ ok: false, status: 400 })
    if (!outcome.ok) expect(outcome.message).toContain('external_url')
  })
})

describe('Docker Hub, Quay, generic', () => {
  it('Docker Hub official images keep library/', () => {
    expect(withPath('dockerhub', { repository: { repo_name: 'library/nginx' } })).toEqual({
      ok: true,
      repositories: ['docker.io/library/nginx'],
    })
  })

  it('Quay self-hosted docker_url keeps its host', () => {
    expect(withPath('quay', { docker_url: 'quay.internal:8443/team/app', updated_tags: ['1'] })).toEqual({
      ok: true,
      repositories: ['quay.internal:8443/team/app'],
    })
  })

  it('generic takes one repository, and refuses an empty list', () => {
    expect(send('generic', { repository: '127.0.0.1:5000/app' })).toEqual({
      ok: true,
      repositories: ['127.0.0.1:5000/app'],
    })
    expect(send('generic', { repositories: [] })).toMatchObject({ ok: false, status: 400 })
  })
})
