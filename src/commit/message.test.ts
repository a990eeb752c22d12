import { execFile } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import type { Change, UpdateResult } from '../types.js'
import { buildCommitMessage } from './message.js'
import { validateCommitTemplate } from './template.js'

function change(
  workload: string,
  container: string,
  oldRef: string,
  newRef: string,
  field = 'image',
): Change {
  return { workload, container, field, oldRef, newRef, policy: 'semver:^1.0' }
}

function result(entries: Record<string, Change[]>): UpdateResult {
  return { files: new Map(Object.entries(entries).map(([file, changes]) => [file, { text: '', changes }])) }
}

const single = result({
  'apps/api.yaml': [change('prod:deployment/api', 'api', 'ghcr.io/acme/api:1.4.1', 'ghcr.io/acme/api:1.4.2')],
})

const multiple = result({
  'apps/api.yaml': [
    change('prod:deployment/api', 'api', 'ghcr.io/acme/api:1.4.1', 'ghcr.io/acme/api:1.4.2'),
    change('prod:deployment/api', 'sidecar', 'envoy:1.29.0', 'envoy:1.29.1', 'tag'),
  ],
  'apps/web.yaml': [
    change('prod:helmrelease/web', 'chart-image', 'ghcr.io/acme/api:1.4.1', 'ghcr.io/acme/api:1.4.2'),
  ],
})

/** The trailers as git itself parses them. */
function parseTrailers(message: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', ['interpret-trailers', '--parse'], (error, stdout) =>
      error ? reject(error) : resolve(stdout.trim().split('\n')),
    )
    child.stdin?.end(message)
  })
}

describe('buildCommitMessage (default, Flux v1 compatible)', () => {
  it('names the one new image in the subject', () => {
    const message = buildCommitMessage(single)
    expect(message.split('\n')[0]).toBe('Auto-release ghcr.io/acme/api:1.4.2')
    expect(message).toContain(
      '- apps/api.yaml: prod:deployment/api (api): ghcr.io/acme/api:1.4.1 → ghcr.io/acme/api:1.4.2 [semver:^1.0]',
    )
  })

  it('counts unique new image references for several changes', () => {
    const message = buildCommitMessage(multiple)
    expect(message.split('\n')[0]).toBe('Auto-release multiple (2) images')
    expect(message.split('\n').filter((line) => line.startsWith('- '))).toHaveLength(3)
    expect(message).toContain('(sidecar tag): envoy:1.29.0 → envoy:1.29.1')
  })

  it('writes trailers that git interpret-trailers parses', async () => {
    expect(await parseTrailers(buildCommitMessage(multiple))).toEqual([
      'Imagebot-Image: envoy:1.29.1',
      'Imagebot-Image: ghcr.io/acme/api:1.4.2',
      'Imagebot-Workload: prod:deployment/api',
      'Imagebot-Workload: prod:helmrelease/web',
    ])
  })

  it('keeps newlines in values from breaking the message structure', async () => {
    const odd = result({ 'a.yaml': [change('ns:deployment/x\ny', 'c', 'a:1', 'a:2\nInjected: yes')] })
    const trailers = await parseTrailers(buildCommitMessage(odd))
    expect(trailers).toEqual(['Imagebot-Image: a:2 Injected: yes', 'Imagebot-Workload: ns:deployment/x y'])
  })

  it('refuses an empty result', () => {
    expect(() => buildCommitMessage(result({}))).toThrow(/no changes/)
  })
})

describe('commit message template', () => {
  it('renders values and sections, then appends the trailers', async () => {
    const template =
      'chore(images): {{count}} update(s)\n\n{{#changes}}* {{workload}}/{{container}}: {{oldRef}} -> {{newRef}}\n{{/changes}}' +
      '\nImages:\n{{#images}}  {{image}}\n{{/images}}'
    const message = buildCommitMessage(multiple, { template })
    expect(message.split('\n')[0]).toBe('chore(images): 2 update(s)')
    expect(message).toContain('* prod:deployment/api/sidecar: envoy:1.29.0 -> envoy:1.29.1\n')
    expect(message).toContain('Images:\n  envoy:1.29.1\n  ghcr.io/acme/api:1.4.2')
    expect(await parseTrailers(message)).toContain('Imagebot-Workload: prod:helmrelease/web')
  })

  it('offers the default parts as placeholders', () => {
    const message = buildCommitMessage(single, {
      template: '{{subject}} [deploy]\n\n{{changes}}\n\nFiles: {{files}}',
    })
    expect(message).toMatch(/^Auto-release ghcr\.io\/acme\/api:1\.4\.2 \[deploy\]\n\n- apps\/api\.yaml: /)
    expect(message).toContain('Files: apps/api.yaml\n')
  })

  it('falls back to the default message when the template renders to nothing', () => {
    expect(buildCommitMessage(single, { template: '   ' }).split('\n')[0]).toBe(
      'Auto-release ghcr.io/acme/api:1.4.2',
    )
  })

  it('validates: a valid template has no errors', () => {
    expect(
      validateCommitTemplate('{{subject}}\n{{#changes}}{{file}} {{newRef}}{{/changes}}{{ count }}'),
    ).toEqual([])
  })

  it.each([
    ['{{subjct}}', /unknown placeholder \{\{subjct\}\}/],
    ['{{newRef}}', /unknown placeholder \{\{newRef\}\}/],
    ['{{#images}}{{file}}{{/images}}', /unknown placeholder \{\{file\}\}/],
    ['{{#changes}}x', /never closed/],
    ['{{/changes}}', /does not close/],
    ['{{#changes}}{{#images}}{{/images}}{{/changes}}', /cannot be nested/],
    ['{{#files}}{{/files}}', /unknown section/],
    ['{{ subject', /malformed placeholder/],
  ])('rejects %s', (template, error) => {
    const errors = validateCommitTemplate(template)
    expect(errors.join('\n')).toMatch(error)
    expect(() => buildCommitMessage(single, { template })).toThrow(/invalid commit message template/)
  })
})

describe('ciSkip (Flux v1 --git-ci-skip)', () => {
  it('ends the subject with the text and keeps the trailers last', () => {
    const message = buildCommitMessage(single, { ciSkip: '[ci skip]' })
    expect(message.split('\n')[0]).toBe('Auto-release ghcr.io/acme/api:1.4.2 [ci skip]')
    expect(message.trimEnd().split('\n').at(-1)).toBe('Imagebot-Workload: prod:deployment/api')
  })

  it('applies to a template’s first line, once', () => {
    const message = buildCommitMessage(single, {
      template: 'chore: {{count}} [ci skip]\n\nbody',
      ciSkip: '[ci skip]',
    })
    expect(message.split('\n')[0]).toBe('chore: 1 [ci skip]')
    expect(
      buildCommitMessage(single, { template: 'chore\n\nbody', ciSkip: '[skip ci]' }).split('\n')[0],
    ).toBe('chore [skip ci]')
  })
})
