// Flux v2 golden cases: fixtures/flux2/<case>/original/** (setter markers and the image.toolkit objects in
// the tree) is planned against the tags in case.json; every file must then equal expected/** byte for byte.
// The cases cover the situations of image-automation-controller's testdata (each case.json names its
// source). Where Flux's own expected files differ from their originals beyond the marked scalars (kyaml
// re-indents sequences and drops comments), ours do not: only the marked scalars change.

import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { NOT_AUTOMATED, readConfigDir } from '../src/manifests/index.js'
import { discoverAll } from '../src/run/discover.js'
import { planFiles } from '../src/run/plan.js'
import { type GivenRegistry, givenTags } from './support/given-tags.js'

const FIXTURES = fileURLToPath(new URL('../fixtures/flux2/', import.meta.url))

interface FluxCase {
  registry: GivenRegistry
  problems: { code: string; file: string; severity?: string; message: string }[]
  skipped: { file: string; reason: string }[]
  updates: number
  /** When present: `<workload> <container>` of every target, in discovery order (namespaces from kustomize). */
  workloads?: string[]
}

const cases = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()

function filesUnder(root: string): Map<string, string> {
  const files = new Map<string, string>()
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name).slice(root.length + 1)
    files.set(path, readFileSync(join(root, path), 'utf8'))
  }
  return files
}

describe('Flux v2 golden cases', () => {
  it('finds the cases', () => {
    expect(cases).toEqual(expect.arrayContaining(['setters', 'policy-applier']))
  })

  it.each(cases)('%s', async (name) => {
    const dir = join(FIXTURES, name)
    const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as FluxCase
    const read = await readConfigDir(join(dir, 'original'))
    expect(read.problems).toEqual([])
    const plan = await planFiles(read.files, givenTags(spec.registry))

    expect(
      plan.errors.map(({ code, file, severity, message }) => ({ code, file, severity, message })),
    ).toEqual(spec.problems)
    // `targets --all` lists markers no automation covers; a plan leaves them out, as unannotated workloads.
    const listed = discoverAll(read.files).skipped.map(({ file, reason }) => ({ file, reason }))
    expect(listed).toEqual(spec.skipped)
    if (spec.workloads) {
      const targets = discoverAll(read.files).targets
      expect(targets.map((target) => `${target.workload} ${target.container}`)).toEqual(spec.workloads)
    }
    const planned = spec.skipped.filter((entry) => !entry.reason.startsWith(NOT_AUTOMATED))
    expect(plan.skipped.map(({ file, reason }) => ({ file, reason }))).toEqual(planned)
    expect(plan.updates).toHaveLength(spec.updates)

    const original = filesUnder(join(dir, 'original'))
    const expected = filesUnder(join(dir, 'expected'))
    expect([...expected.keys()].sort()).toEqual([...original.keys()].sort())
    for (const [path, text] of expected) {
      const after = plan.result.files.get(path)?.text ?? original.get(path)
      expect(after, path).toBe(text)
    }
  })
})
