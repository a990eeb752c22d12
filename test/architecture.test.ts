// The house rules of ARCHITECTURE.md, checked on every import so that a stage cannot quietly reach past its room.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..')
const IMPORT =
  /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm

interface SourceImport {
  file: string
  /** A package name, or a path from the project root for relative imports. */
  target: string
}

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
}

function importsOf(file: string): SourceImport[] {
  const text = readFileSync(join(ROOT, file), 'utf8')
  return [...text.matchAll(IMPORT)].map((match) => {
    const spec = (match[1] ?? match[2] ?? match[3])!
    const target = spec.startsWith('.')
      ? relative(ROOT, join(ROOT, file, '..', spec))
      : spec.replace(/^node:/, 'node:')
    return { file, target }
  })
}

const ALL = [...sources('src'), ...sources('policies'), ...sources('workers')].flatMap(importsOf)

function offending(from: (file: string) => boolean, forbidden: (target: string) => boolean): string[] {
  return ALL.filter((i) => from(i.file) && forbidden(i.target)).map((i) => `${i.file} → ${i.target}`)
}

const under =
  (...dirs: string[]) =>
  (path: string) =>
    dirs.some((dir) => path.startsWith(`${dir}/`))
const isPackage =
  (...names: string[]) =>
  (target: string) =>
    names.some((n) => target === n || target.startsWith(`${n}/`))

describe('import rules', () => {
  it('finds the imports it checks', () => {
    expect(ALL.length).toBeGreaterThan(100)
    expect(ALL).toContainEqual({ file: 'src/run/plan.ts', target: 'policies/index.js' })
  })

  it('policies/ is pure: semver, minimatch, re2js and its own files only', () => {
    // re2.ts loads re2js on first use (createRequire): node:module there is the loader, no I/O.
    const loader = (i: SourceImport) => i.file === 'policies/re2.ts' && i.target === 'node:module'
    expect(
      ALL.filter(
        (i) =>
          under('policies')(i.file) &&
          !loader(i) &&
          !i.target.startsWith('policies/') &&
          !isPackage('semver', 'minimatch', 're2js')(i.target),
      ).map((i) => `${i.file} → ${i.target}`),
    ).toEqual([])
  })

  it('image/ imports nothing internal', () => {
    expect(
      offending(under('src/image'), (t) => !t.startsWith('src/image/') && !t.startsWith('node:')),
    ).toEqual([])
  })

  it('discovery and rewriting never see git, registries or HTTP', () => {
    const io = (t: string) =>
      under('src/git', 'src/registry', 'src/server', 'src/queue', 'src/run')(t) ||
      isPackage('got', 'isomorphic-git')(t)
    expect(offending(under('src/manifests', 'src/rewrite', 'src/yaml', 'src/flux2'), io)).toEqual([])
  })

  it('the registry client never sees YAML or git; git never sees manifests', () => {
    expect(
      offending(
        under('src/registry'),
        (t) => under('src/manifests', 'src/rewrite', 'src/yaml', 'src/git')(t) || t === 'yaml',
      ),
    ).toEqual([])
    expect(
      offending(
        under('src/git'),
        (t) => under('src/manifests', 'src/rewrite', 'src/yaml', 'src/registry')(t) || t === 'yaml',
      ),
    ).toEqual([])
  })

  it('got only in registry/, isomorphic-git only in git/, bullmq only in queue/ and workers/', () => {
    expect(offending((f) => !under('src/registry')(f), isPackage('got'))).toEqual([])
    expect(offending((f) => !under('src/git')(f), isPackage('isomorphic-git'))).toEqual([])
    expect(offending((f) => !under('src/queue', 'workers')(f), isPackage('bullmq'))).toEqual([])
  })

  it('nothing but the CLI imports workers/ or the CLI', () => {
    expect(offending((f) => !under('src/cli', 'workers')(f), under('workers', 'src/cli'))).toEqual([])
  })
})
