import { describe, expect, it } from 'vitest'
import { discover } from '../manifests/discover.js'
import type { Target } from '../types.js'
import { buildUpdateResult, rewriteFiles } from './result.js'
import { rewriteFile, type TagEdit } from './rewrite-file.js'
import { verifyRewrite } from './verify.js'

const text = `apiVersion: helm.fluxcd.io/v1
kind: HelmRelease
metadata:
  name: app
  annotations:
    fluxcd.io/automated: "true"
spec:
  values:
    api:
      image: example/api:1.0.0 # keep me
    web:
      image: example/web
      tag: "2.0.0"
    pinned:
      image: example/pinned:1.0@sha256:${'a'.repeat(64)}
`

function targets(source = text): Map<string, Target> {
  return new Map(discover([{ path: 'app.yaml', text: source }]).targets.map((t) => [t.container, t]))
}

function edit(target: Target | undefined, newTag: string): TagEdit {
  if (!target) throw new Error('no such target')
  return { target, newTag, policy: 'glob:*' }
}

describe('rewriteFile', () => {
  it('changes only the scalar bytes and reports changes in the written form', () => {
    const found = targets()
    const result = rewriteFile('app.yaml', text, [
      edit(found.get('web'), '2.1.0'),
      edit(found.get('api'), '1.1.0'),
    ])
    expect(result.problems).toEqual([])
    expect(result.text).toBe(text.replace('api:1.0.0 #', 'api:1.1.0 #').replace('"2.0.0"', '"2.1.0"'))
    expect(result.changes).toEqual([
      {
        workload: 'default:helmrelease/app',
        container: 'api',
        field: 'image',
        oldRef: 'example/api:1.0.0',
        newRef: 'example/api:1.1.0',
        policy: 'glob:*',
      },
      {
        workload: 'default:helmrelease/app',
        container: 'web',
        field: 'tag',
        oldRef: 'example/web:2.0.0',
        newRef: 'example/web:2.1.0',
        policy: 'glob:*',
      },
    ])
  })

  it('drops a digest that pins the old content', () => {
    const result = rewriteFile('app.yaml', text, [edit(targets().get('pinned'), '1.1')])
    expect(result.text).toContain('image: example/pinned:1.1\n')
    expect(result.changes[0]?.newRef).toBe('example/pinned:1.1')
  })

  it('does nothing when the tag is already in place', () => {
    const result = rewriteFile('app.yaml', text, [edit(targets().get('api'), '1.0.0')])
    expect(result).toEqual({ text, changes: [], problems: [] })
  })

  it('refuses an invalid tag and keeps the other edits', () => {
    const found = targets()
    const result = rewriteFile('app.yaml', text, [
      edit(found.get('api'), 'bad tag'),
      edit(found.get('web'), '3.0.0'),
    ])
    expect(result.problems).toMatchObject([{ code: 'IMAGE_REF_INVALID', container: 'api' }])
    expect(result.changes.map((change) => change.container)).toEqual(['web'])
  })

  it('refuses targets from another version of the file', () => {
    const stale = targets(text.replace('name: app', 'name: application'))
    const result = rewriteFile('app.yaml', text, [edit(stale.get('api'), '1.1.0')])
    expect(result.text).toBe(text)
    expect(result.problems).toMatchObject([{ code: 'REWRITE_UNSAFE', file: 'app.yaml' }])
  })

  it('refuses overlapping edits and merges identical ones', () => {
    const api = targets().get('api')!
    const clash = rewriteFile('app.yaml', text, [edit(api, '1.1.0'), edit(api, '1.2.0')])
    expect(clash.text).toBe(text)
    expect(clash.problems.map((problem) => problem.code)).toEqual(['REWRITE_UNSAFE', 'REWRITE_UNSAFE'])
    const twice = rewriteFile('app.yaml', text, [edit(api, '1.1.0'), edit(api, '1.1.0')])
    expect(twice.problems).toEqual([])
    expect(twice.text).toContain('example/api:1.1.0 # keep me')
  })

  it('verifies the result and writes nothing when another value would change', () => {
    const shared = 'spec:\n  values:\n    a: &tag 1.0.0\n    b: *tag\n'
    const target: Target = {
      file: 'x.yaml',
      doc: 0,
      workload: 'default:helmrelease/x',
      container: 'a',
      fields: { tag: { path: ['spec', 'values', 'a'], range: [28, 33], value: '1.0.0', style: 'PLAIN' } },
      current: { path: 'example/a', tag: '1.0.0', written: 'example/a:1.0.0' },
      policy: { kind: 'glob', pattern: '*' },
    }
    expect(shared.slice(28, 33)).toBe('1.0.0')
    const result = rewriteFile('x.yaml', shared, [edit(target, '1.0.1')])
    expect(result.text).toBe(shared)
    expect(result.changes).toEqual([])
    expect(result.problems).toMatchObject([{ code: 'REWRITE_VERIFY', file: 'x.yaml' }])
    expect(result.problems[0]?.message).toContain('aliases share')
  })

  it('verifies that the edited scalar is at the recorded path', () => {
    const api = targets().get('api')!
    const moved = {
      ...api,
      fields: { image: { ...api.fields.image!, path: ['spec', 'values', 'web', 'image'] } },
    }
    const result = rewriteFile('app.yaml', text, [edit(moved, '1.1.0')])
    expect(result.text).toBe(text)
    expect(result.problems).toMatchObject([{ code: 'REWRITE_VERIFY' }])
  })
})

describe('rewriteFiles', () => {
  it('collects changed files into an UpdateResult and reports missing files', () => {
    const found = targets()
    const other = { ...found.get('web')!, file: 'gone.yaml' }
    const outcome = rewriteFiles(new Map([['app.yaml', text]]), [
      edit(found.get('web'), '2.0.1'),
      edit(other, '2.0.1'),
    ])
    expect([...outcome.update.files.keys()]).toEqual(['app.yaml'])
    expect(outcome.update.files.get('app.yaml')?.changes).toHaveLength(1)
    expect(outcome.problems).toMatchObject([{ code: 'REWRITE_UNSAFE', file: 'gone.yaml' }])
  })

  it('leaves files without changes out of the result', () => {
    const outcome = buildUpdateResult([{ file: 'a.yaml', text: 'a', changes: [], problems: [] }])
    expect(outcome.update.files.size).toBe(0)
  })
})

describe('explicit tags on the edited scalar', () => {
  // From a fuzzer: `tag: !!int 150` was rewritten to `tag: !!int v1.2.4`, which go-yaml refuses.
  const release = (tag: string) => text.replace('tag: "2.0.0"', `tag: ${tag}`)
  function rewriteTo(tagSource: string, newTag: string) {
    const source = release(tagSource)
    const found = targets(source).get('web')
    expect(found?.fields.tag).toBeDefined()
    return { source, result: rewriteFile('app.yaml', source, [edit(found, newTag)]) }
  }

  it('refuses a tag value that !!int cannot hold and writes nothing', () => {
    const { source, result } = rewriteTo('!!int 150', 'v1.2.4')
    expect(result.text).toBe(source)
    expect(result.problems).toMatchObject([{ code: 'REWRITE_UNSAFE', container: 'web' }])
    expect(result.problems[0]?.message).toContain('marked !!int and cannot hold "v1.2.4"')
  })

  it('keeps !!int when the new tag is an integer it holds', () => {
    const { source, result } = rewriteTo('!!int 150', '151')
    expect(result.problems).toEqual([])
    expect(result.text).toBe(source.replace('!!int 150', '!!int 151'))
  })

  it('writes a string into !!str, keeping the tag', () => {
    expect(rewriteTo('!!str 150', '1.10').result.text).toContain('tag: !!str "1.10"\n')
    expect(rewriteTo('!!str 150', '151').result.text).toContain('tag: !!str "151"\n')
    expect(rewriteTo('!!float 1.5', 'v2').result.problems[0]?.message).toContain('marked !!float')
  })
})

describe('verification reads the result with the full parser', () => {
  const before = 'a: 1\nb: x\n'
  const splice = { doc: 0, path: ['b'], range: [8, 9] as [number, number], source: 'z', value: 'z' }

  it('refuses a result that only a lenient reader would accept', () => {
    // `--- ` then a NBSP: the fast reader once read this as a document marker (JS trim()).
    const refused = verifyRewrite('f.yaml', before, 'a: 1\nb: z\n--- \u00a0\nc: 1\n', [splice])
    expect(refused?.message).toMatch(/the result does not parse|documents instead of/)
  })

  it('refuses a result with a parser warning the original did not have', () => {
    const refused = verifyRewrite('f.yaml', before, 'a: 1\nb: !foo z\n', [splice])
    expect(refused?.message).toContain('YAML warning the original did not (TAG_RESOLVE_FAILED)')
    expect(verifyRewrite('f.yaml', before, 'a: 1\nb: z\n', [splice])).toBeUndefined()
  })

  it('refuses a splice where the full parser reads another value than discovery did', () => {
    // As if the fast reader had misplaced the scalar: js-yaml reads `x` at b, not `w`.
    const refused = verifyRewrite('f.yaml', before, 'a: 1\nb: z\n', [{ ...splice, oldValue: 'w' }])
    expect(refused?.message).toContain('the full parser reads "x" at b, not "w" as discovery did')
    expect(verifyRewrite('f.yaml', before, 'a: 1\nb: z\n', [{ ...splice, oldValue: 'x' }])).toBeUndefined()
  })

  it('verifies files holding custom tags, and refuses a change to what a tagged value holds', () => {
    const tagged = 'a: !vault secret\nb: x\nc: !!binary aGk=\n'
    const edit = { ...splice, range: [20, 21] as [number, number], oldValue: 'x' }
    expect(
      verifyRewrite('f.yaml', tagged, 'a: !vault secret\nb: z\nc: !!binary aGk=\n', [edit]),
    ).toBeUndefined()
    const moved = verifyRewrite('f.yaml', tagged, 'a: !vault secreT\nb: z\nc: !!binary aGk=\n', [edit])
    expect(moved?.message).toContain('document 1 changed beyond the edited values')
  })

  it('reads files with anchors through the yaml package, which counts alias expansions', () => {
    const anchored = 'a: &x 1\nb: x\nc: *x\n'
    const edit = { ...splice, range: [11, 12] as [number, number] }
    expect(verifyRewrite('f.yaml', anchored, 'a: &x 1\nb: z\nc: *x\n', [edit])).toBeUndefined()
    const bomb = verifyRewrite('f.yaml', anchored, 'a: &x 1\nb: z\nc: *x\nd: *x\n', [edit])
    expect(bomb?.message).toContain('changed beyond the edited values')
  })

  it('refuses a new scalar that YAML 1.1 reads as another value', () => {
    const yes = { ...splice, source: 'yes', value: 'yes' }
    const refused = verifyRewrite('f.yaml', before, 'a: 1\nb: yes\n', [yes])
    expect(refused?.message).toContain('reads as true under YAML 1.1')
  })
})
