// The page is a pure function of the status model: these tests render it without a browser.
import { describe, expect, it } from 'vitest'
import type { StatusSnapshot } from '../status.js'
import { commitLink } from './commit-link.js'
import { buildPageModel, PAGE_SIZE, type PageExtras, parseFilter } from './model.js'
import { renderPage } from './render.js'

const HOSTILE = '<script>alert(1)</script>'
const REPO = 'https://bot:s3cret@git.example/org/gitops.git'

function snapshot(targets: number, overrides: Partial<StatusSnapshot> = {}): StatusSnapshot {
  return {
    discoveredAt: '2026-12-01T10:00:00.000Z',
    images: [
      {
        image: 'docker.io/stefanprodan/podinfo',
        configRepos: [REPO],
        intervalMs: 300_000,
        lastScanAt: '2026-12-01T10:01:00.000Z',
        tagsSeen: 5,
      },
      {
        image: 'ghcr.io/org/broken',
        configRepos: [REPO],
        intervalMs: 60_000,
        lastScanAt: '2026-12-01T10:02:00.000Z',
        error: `unauthorized ${HOSTILE}`,
      },
    ],
    configRepos: [
      {
        configRepo: REPO,
        lastRunAt: '2026-12-01T10:03:00.000Z',
        lastCommit: 'abcdef0123456789',
        lastCommitAt: '2026-12-01T09:00:00.000Z',
        updates: 0,
        errors: [],
        targets: Array.from({ length: targets }, (_, index) => ({
          file: `releases/app-${index}.yaml`,
          workload: `${index % 2 ? 'prod' : 'dev'}:helmrelease/app-${index}`,
          container: 'chart-image',
          current: `stefanprodan/podinfo:dev-${index}`,
          policy: 'glob:dev-*',
          reason: 'up to date: current tag is the newest match for glob:dev-*',
        })),
      },
    ],
    ...overrides,
  }
}

const extras: PageExtras = {
  repositories: [{ url: REPO, branch: 'main' }],
  suspended: [],
  backend: 'embedded',
  queue: { waiting: 2, active: 1 },
}

describe('status page', () => {
  it('escapes every value: tags, reasons, names, errors and filter input', () => {
    const snap = snapshot(0)
    snap.configRepos[0]!.errors = [`push rejected ${HOSTILE}`]
    snap.configRepos[0]!.targets = [
      {
        file: `"><img src=x onerror=alert(1)>.yaml`,
        workload: `<b>ns</b>:deployment/<i>x</i>`,
        container: `c'"<`,
        current: 'ghcr.io/org/broken:1.0',
        policy: `regex:<svg onload=alert(1)>`,
        next: 'ghcr.io/org/broken:<iframe>',
        reason: HOSTILE,
      },
    ]
    const hostileExtras = { ...extras, webhooks: [{ type: '<u>t</u>', result: 'ok', count: 1 }] }
    const page = renderPage(buildPageModel(snap, hostileExtras, parseFilter({ namespace: `<b>ns</b>` })))
    expect(page).toContain('1 of 1 containers match')
    const filtered = renderPage(buildPageModel(snap, extras, parseFilter({ repo: `"><script>x</script>` })))
    expect(filtered).not.toContain('<script>x')
    expect(page).not.toMatch(/<(script>alert|img|svg|iframe|b>|i>|u>)/)
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.yaml')
    // Only the page's own script element exists.
    expect(page.match(/<script>/g)).toHaveLength(1)
  })

  it('never shows repository credentials', () => {
    const page = renderPage(buildPageModel(snapshot(3), extras, parseFilter({})))
    expect(page).not.toContain('s3cret')
    expect(page).toContain('https://git.example/org/gitops.git')
  })

  it('puts rows that need attention first and pages the rest', () => {
    const snap = snapshot(PAGE_SIZE * 2 + 5)
    const targets = snap.configRepos[0]!.targets
    targets.push({ ...targets[0]!, workload: 'dev:helmrelease/broken', current: 'ghcr.io/org/broken:1' })
    const model = buildPageModel(snap, extras, parseFilter({}))
    expect(model.rows).toHaveLength(PAGE_SIZE)
    expect(model.pages).toBe(3)
    expect(model.rows[0]).toMatchObject({ workload: 'dev:helmrelease/broken', state: 'error' })
    expect(model.rows[0]!.registryError).toContain('unauthorized')
    const last = buildPageModel(snap, extras, parseFilter({ page: '3' }))
    expect(last.rows).toHaveLength(6)
    expect(renderPage(last)).toContain('page 3 of 3')
  })

  it('filters by namespace, state and repo', () => {
    const snap = snapshot(10)
    expect(buildPageModel(snap, extras, parseFilter({ namespace: 'prod' })).matching).toBe(5)
    expect(buildPageModel(snap, extras, parseFilter({ state: 'ok' })).matching).toBe(10)
    // The image whose scan failed has no decision, hence no target row: it gets a row of its own.
    const errors = buildPageModel(snap, extras, parseFilter({ state: 'error' }))
    expect(errors.rows).toMatchObject([
      { workload: '(no decision)', image: 'ghcr.io/org/broken', registryError: `unauthorized ${HOSTILE}` },
    ])
    expect(buildPageModel(snap, extras, parseFilter({ repo: 'https://other.example/x' })).matching).toBe(0)
    // The repo filter takes the URL as the page shows it (credentials stripped) or as configured.
    expect(buildPageModel(snap, extras, parseFilter({ repo: REPO })).matching).toBe(11)
    expect(parseFilter({ state: 'bogus', page: '-3' })).toEqual({ page: 1 })
  })

  it('classifies decisions: pending, stuck when the run failed, held, locked', () => {
    const snap = snapshot(0)
    const base = {
      file: 'f.yaml',
      container: 'c',
      current: 'stefanprodan/podinfo:1.0.0',
      policy: 'semver:^1',
    }
    snap.configRepos[0]!.targets = [
      { ...base, workload: 'a:deployment/next', next: 'stefanprodan/podinfo:1.1.0', reason: '1.0.0 → 1.1.0' },
      { ...base, workload: 'a:deployment/old', reason: 'would downgrade: 0.9 is older than 1.0.0' },
      { ...base, workload: 'a:deployment/lock', reason: 'locked: waiting for QA' },
    ]
    const states = () =>
      buildPageModel(snap, extras, parseFilter({ namespace: 'a' })).rows.map((row) => [
        row.workload,
        row.state,
      ])
    expect(states()).toEqual([
      ['a:deployment/lock', 'locked'],
      ['a:deployment/next', 'pending'],
      ['a:deployment/old', 'held'],
    ])
    snap.configRepos[0]!.errors = ['push failed: 403']
    expect(states()[0]).toEqual(['a:deployment/next', 'stuck'])
    expect(buildPageModel(snap, extras, parseFilter({})).repos[0]!.state).toBe('partial')
  })

  it('a decision the last run pushed shows as done, with the commit', () => {
    const snap = snapshot(1)
    const repo = snap.configRepos[0]!
    repo.lastRunAt = repo.lastCommitAt!
    repo.targets[0] = {
      ...repo.targets[0]!,
      next: 'stefanprodan/podinfo:dev-9',
      reason: 'dev-0 → dev-9: newest',
    }
    expect(buildPageModel(snap, extras, parseFilter({ state: 'ok' })).rows[0]).toMatchObject({
      tag: 'dev-9',
      reason: 'updated from dev-0 in abcdef01: dev-0 → dev-9: newest',
    })
    repo.lastRunAt = '2026-12-01T11:00:00.000Z' // a later run that pushed nothing: still to do
    expect(buildPageModel(snap, extras, parseFilter({ state: 'pending' })).rows[0]?.tag).toBe('dev-0')
  })

  it('shows the repository: branch, suspended, last commit, queue, next scan', () => {
    const page = renderPage(buildPageModel(snapshot(1), { ...extras, suspended: [REPO] }, parseFilter({})))
    expect(page).toContain('<dt>branch</dt><dd>main</dd>')
    expect(page).toContain('suspended</span>')
    expect(page).toContain('<code>abcdef01</code>')
    expect(page).toContain('<dt>jobs waiting</dt><dd>2</dd>')
    expect(page).toContain('2026-12-01 10:06:00Z') // last scan 10:01 + 5 min interval
    expect(page).toContain('http-equiv="refresh"')
  })

  it('says when Redis could not be read and the rows are the last ones seen', () => {
    const page = renderPage(
      buildPageModel(
        snapshot(1),
        { ...extras, unreachable: `Redis is unreachable: ${HOSTILE}` },
        parseFilter({}),
      ),
    )
    expect(page).toContain('id="unreachable">Redis is unreachable: &lt;script&gt;')
    expect(renderPage(buildPageModel(snapshot(1), extras, parseFilter({})))).not.toContain('unreachable')
  })

  it('links commits on known forges only', () => {
    expect(commitLink('https://x:y@github.com/org/repo.git', 'abc1234')).toBe(
      'https://github.com/org/repo/commit/abc1234',
    )
    expect(commitLink('https://gitlab.com/g/r', 'abc1234')).toBe('https://gitlab.com/g/r/-/commit/abc1234')
    expect(commitLink('http://127.0.0.1:8080/r.git', 'abc1234')).toBeUndefined()
    expect(commitLink('https://github.com/o/r', 'not-a-sha"')).toBeUndefined()
  })

  it('shows the newest tag seen, locked rows with their message first, and warnings where they belong', () => {
    const base = snapshot(1)
    const repo = base.configRepos[0]!
    repo.targets[0]!.newest = `dev-9${HOSTILE}`
    repo.locked = [
      {
        file: 'frozen.yaml',
        workload: 'prod:deployment/frozen',
        container: 'app',
        message: `incident ${HOSTILE}`,
      },
    ]
    repo.warnings = [
      `frozen.yaml: prod:deployment/frozen container app: unknown annotation ${HOSTILE}`,
      `other.yaml: typo in ${HOSTILE}`,
    ]
    const model = buildPageModel(base, extras, parseFilter({}))
    // Attention first: the failed image's error row, then the locked row, then the up-to-date one.
    expect(model.rows.map((row) => row.state)).toEqual(['error', 'locked', 'ok'])
    expect(model.rows[1]).toMatchObject({
      workload: 'prod:deployment/frozen',
      reason: `locked: incident ${HOSTILE}`,
    })
    expect(model.rows[1]!.warnings).toHaveLength(1)
    expect(model.repos[0]!.warnings).toEqual([`other.yaml: typo in ${HOSTILE}`])
    expect(model.counts.locked).toBe(1)
    const page = renderPage(model)
    expect(page).toContain('<th>newest seen</th>')
    expect(page).toContain('dev-9&lt;script&gt;')
    expect(page).toContain('locked: incident &lt;script&gt;')
    expect(page).toContain('<div class="warn">warning: frozen.yaml: prod:deployment/frozen container app')
    expect(page).toContain('<li>warning: other.yaml: typo in &lt;script&gt;')
    expect(page).not.toContain(HOSTILE)
  })
})
