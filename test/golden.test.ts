// Golden cases: fixtures/<case>/original/** is read from disk, discovered and rewritten with the
// tags in case.json; every file must then equal fixtures/<case>/expected/** byte for byte.

import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { formatPolicySpec } from '../policies/spec.js'
import { discover, readConfigDir, targetsReport } from '../src/manifests/index.js'
import { rewriteFiles, type TagEdit } from '../src/rewrite/index.js'

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url))

interface GoldenCase {
  /** `<workload>/<container>` → new tag. */
  tags: Record<string, string>
  /** When present: exactly these targets (as `imagebot targets --json` lists them, without file). */
  targets?: { workload: string; container: string; image: string; policy: string }[]
  /** When present: exactly these skipped containers; `reason` is a prefix of the actual reason. */
  skipped?: { workload: string; container: string; reason: string }[]
  /** Expected problems by code and file; none when absent. */
  problems?: { code: string; file: string }[]
}

const cases = readdirSync(FIXTURES, { withFileTypes: true })
  // fixtures/flux2/ holds the Flux v2 cases of flux2-golden.test.ts.
  .filter((entry) => entry.isDirectory() && entry.name !== 'flux2')
  .map((entry) => entry.name)
  .sort()

function filesUnder(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = dir ? `${dir}/${entry.name}` : entry.name
      if (entry.isDirectory()) walk(path)
      else files.set(path, readFileSync(join(root, path)))
    }
  }
  walk('')
  return files
}

describe('golden cases', () => {
  it('finds the cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(13)
  })

  it.each(cases)('%s', async (name) => {
    const dir = join(FIXTURES, name)
    const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as GoldenCase
    const { files, problems: readProblems } = await readConfigDir(join(dir, 'original'))
    expect(readProblems).toEqual([])
    const discovery = discover(files)

    const edits: TagEdit[] = []
    const unmatched = new Set(Object.keys(spec.tags))
    for (const target of discovery.targets) {
      const key = `${target.workload}/${target.container}`
      const newTag = spec.tags[key]
      if (newTag === undefined) continue
      unmatched.delete(key)
      edits.push({ target, newTag, policy: formatPolicySpec(target.policy) })
    }
    expect([...unmatched], 'tags in case.json without a discovered target').toEqual([])

    const texts = new Map(files.map((file) => [file.path, file.text]))
    const outcome = rewriteFiles(texts, edits)
    const problems = [...discovery.problems, ...outcome.problems]
    expect(problems.map(({ code, file }) => ({ code, file }))).toEqual(spec.problems ?? [])

    if (spec.targets) {
      const listed = targetsReport(discovery).targets.map(({ file: _file, ...rest }) => rest)
      expect(listed).toEqual(spec.targets)
    }
    if (spec.skipped) {
      const skipped = discovery.skipped.map(({ workload, container, reason }) => ({
        workload,
        container,
        reason,
      }))
      expect(skipped.map(({ workload, container }) => ({ workload, container }))).toEqual(
        spec.skipped.map(({ workload, container }) => ({ workload, container })),
      )
      skipped.forEach((entry, index) => {
        expect(entry.reason.startsWith(spec.skipped![index]!.reason), entry.reason).toBe(true)
      })
    }

    const expected = filesUnder(join(dir, 'expected'))
    const original = filesUnder(join(dir, 'original'))
    expect([...expected.keys()].sort()).toEqual([...original.keys()].sort())
    for (const [path, bytes] of expected) {
      const text = outcome.update.files.get(path)?.text ?? texts.get(path)
      const actual = text === undefined ? original.get(path)! : Buffer.from(text, 'utf8')
      expect(actual.toString('utf8'), path).toBe(bytes.toString('utf8'))
      expect(actual.equals(bytes), `${path} differs in bytes`).toBe(true)
    }
    // Each changed file lists one change per edit, composed in the user's written form.
    const changes = [...outcome.update.files.values()].flatMap((update) => update.changes)
    expect(changes.length).toBe(edits.length)
    for (const change of changes) {
      expect(change.newRef.endsWith(`:${spec.tags[`${change.workload}/${change.container}`]}`)).toBe(true)
    }
  })
})
