// Parallel verification must give exactly the serial verdicts: same problems, same order, on a batch
// mixing files that verify with files verification refuses for each of its reasons.

import { describe, expect, it } from 'vitest'
import { discover } from '../manifests/discover.js'
import { rewriteFiles, rewriteFilesParallel } from './result.js'
import type { TagEdit } from './rewrite-file.js'
import { type VerifyJob, verifyRewrite } from './verify.js'
import { verifyRewrites } from './verify-parallel.js'

function release(index: number, tag = '1.0.0'): string {
  return `apiVersion: helm.fluxcd.io/v1
kind: HelmRelease
metadata:
  name: app-${index}
  annotations:
    fluxcd.io/automated: "true"
spec:
  values:
    image:
      repository: example/app-${index}
      tag: ${tag}
    replicas: 2
`
}

/** A tag edit of release(index) as the planner would splice it, then spoiled by `kind`. */
function job(index: number, kind: number): VerifyJob {
  const before = release(index)
  const start = before.indexOf('1.0.0')
  const splice = {
    doc: 0,
    path: ['spec', 'values', 'image', 'tag'],
    range: [start, start + 5] as [number, number],
    source: '1.1.0',
    value: '1.1.0',
  }
  let after = before.replace('tag: 1.0.0', 'tag: 1.1.0')
  if (kind === 1) after = after.replace('replicas: 2', 'replicas: 3') // changed beyond the edit
  if (kind === 2) after = after.replace('tag: 1.1.0', 'tag: "1.1.0') // does not parse
  if (kind === 3) return { file: `f${index}`, before, after, splices: [{ ...splice, value: '1.2.0' }] }
  if (kind === 4) {
    // Reads as a boolean under YAML 1.1.
    after = before.replace('tag: 1.0.0', 'tag: yes')
    return { file: `f${index}`, before, after, splices: [{ ...splice, source: 'yes', value: 'yes' }] }
  }
  if (kind === 5) return { file: `f${index}`, before: `${before}  bad: [`, after, splices: [splice] }
  return { file: `f${index}`, before, after, splices: [splice] }
}

const KINDS = 7
const jobs = Array.from({ length: 350 }, (_, index) => job(index, index % KINDS))
const serial = jobs.map((entry) => verifyRewrite(entry.file, entry.before, entry.after, entry.splices))

describe('verifyRewrites', () => {
  it('the batch mixes verified files with each kind of refusal', () => {
    const refused = serial.filter((verdict) => verdict !== undefined)
    expect(refused).toHaveLength(250)
    expect(serial[0]).toBeUndefined()
    expect(serial[6]).toBeUndefined()
    expect(serial[1]?.message).toMatch(/changed beyond the edited values/)
    expect(serial[2]?.message).toMatch(/does not parse/)
    expect(serial[3]?.message).toMatch(/reads as "1\.1\.0" under YAML 1\.1, not "1\.2\.0"/)
    expect(serial[4]?.message).toMatch(/reads as true under YAML 1\.1/)
    expect(serial[5]?.message).toMatch(/the original does not parse/)
  })

  it('worker threads alone give the serial verdicts in the same order', async () => {
    const counts = { main: 0, workers: 0 }
    expect(await verifyRewrites(jobs, { minJobs: 1, workers: 2, mainThread: false, counts })).toEqual(serial)
    expect(counts).toEqual({ main: 0, workers: jobs.length })
  })

  it('the main thread and a worker together give the serial verdicts', async () => {
    const counts = { main: 0, workers: 0 }
    expect(await verifyRewrites(jobs, { minJobs: 1, workers: 1, counts })).toEqual(serial)
    expect(counts.main + counts.workers).toBe(jobs.length)
  })

  it('a small batch is verified on the main thread', async () => {
    const counts = { main: 0, workers: 0 }
    expect(await verifyRewrites(jobs.slice(0, 20), { counts })).toEqual(serial.slice(0, 20))
    expect(counts.workers).toBe(0)
  })
})

describe('rewriteFilesParallel', () => {
  it('gives the outcome of rewriteFiles: the same files, texts, changes and problems in order', async () => {
    const texts = new Map(Array.from({ length: 250 }, (_, index) => [`r${index}.yaml`, release(index)]))
    const edits: TagEdit[] = discover([...texts].map(([path, text]) => ({ path, text }))).targets.map(
      (target, index) => ({
        target,
        // Invalid tags, tags already in place, and the rest updated.
        newTag: index % 9 === 0 ? 'bad tag' : index % 5 === 0 ? '1.0.0' : `1.${index % 4}.1`,
        policy: 'glob:*',
      }),
    )
    texts.delete('r7.yaml')
    const expected = rewriteFiles(texts, edits)
    const parallel = await rewriteFilesParallel(texts, edits, { minJobs: 1, workers: 1, mainThread: false })
    expect(parallel).toEqual(expected)
    expect(expected.problems.length).toBeGreaterThan(20)
    expect(expected.problems[0]?.message).toMatch(/r7\.yaml: file not found/)
    expect(expected.update.files.size).toBeGreaterThan(150)
  })
})
