// The outcome of plan/once runs (issue 10 §3): partial is distinct from error, warnings fail nothing, and a
// one-shot report never promises a retry it will not make.
import { describe, expect, it } from 'vitest'
import type { Problem } from '../problems.js'
import type { Plan } from './plan.js'
import { repositoryOutcome, repositoryReport, runReport } from './report.js'

const problem = (message: string, extra: Partial<Problem> = {}): Problem => ({
  code: 'REGISTRY',
  message,
  ...extra,
})
const plan = (errors: Problem[]) =>
  ({
    updates: [],
    skipped: [],
    errors,
    explanations: [],
    result: { files: new Map(), problems: [] },
    originals: new Map(),
  }) as unknown as Plan

describe('repositoryOutcome', () => {
  it('is error when the repository could not be read or pushed, partial when only files or images failed', () => {
    expect(repositoryOutcome(undefined, [])).toBe('error')
    expect(repositoryOutcome(plan([]), [problem('push rejected')])).toBe('error')
    expect(repositoryOutcome(plan([problem('image down', { image: 'a/b' })]), [])).toBe('partial')
    expect(repositoryOutcome(plan([problem('odd annotation', { severity: 'warning' })]), [])).toBe('ok')
    expect(repositoryOutcome(plan([]), [])).toBe('ok')
  })
})

describe('runReport', () => {
  const report = (outcomes: [Plan | undefined, Problem[]][]) =>
    runReport(outcomes.map(([p, errors], i) => repositoryReport(`r${i}`, 'main', p, errors)))

  it('is ok when every repository is, error when every one failed, else partial', () => {
    expect(report([]).outcome).toBe('ok')
    expect(report([[plan([]), []]]).outcome).toBe('ok')
    expect(
      report([
        [undefined, [problem('clone failed')]],
        [undefined, [problem('x')]],
      ]).outcome,
    ).toBe('error')
    expect(
      report([
        [undefined, [problem('clone failed')]],
        [plan([]), []],
      ]).outcome,
    ).toBe('partial')
    expect(report([[plan([problem('one image', { image: 'a/b' })]), []]]).outcome).toBe('partial')
  })

  it('does not promise a retry in a one-shot report', () => {
    const message = 'https://git.example/r.git: cannot reach the server (ECONNREFUSED); will retry'
    const [repository] = report([[undefined, [problem(message, { transient: true })]]]).repositories
    expect(repository?.errors).toEqual([
      { message: 'https://git.example/r.git: cannot reach the server (ECONNREFUSED)' },
    ])
  })
})
