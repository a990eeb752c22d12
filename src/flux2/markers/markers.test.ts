import { describe, expect, it } from 'vitest'
import { parseYaml } from '../../yaml/parse.js'
import { attachMarkers } from './find.js'
import { markerComments, parseMarker } from './syntax.js'

describe('marker syntax', () => {
  it('reads the policy and the part to set', () => {
    expect(parseMarker('{"$imagepolicy": "flux-system:podinfo"}')).toEqual({
      namespace: 'flux-system',
      name: 'podinfo',
      field: 'image',
      setter: 'flux-system:podinfo',
    })
    expect(parseMarker('{"$imagepolicy": "flux-system:podinfo:tag"}')).toMatchObject({ field: 'tag' })
    expect(parseMarker('{"$imagepolicy": "a:b:name"}')).toMatchObject({ field: 'name' })
    expect(parseMarker('{"$imagepolicy": "a:b:digest"}')).toMatchObject({ field: 'digest' })
  })

  it('says what is wrong with a marker it cannot use', () => {
    expect(parseMarker('{"$imagepolicy": "a:b:version"}')).toEqual({
      error: 'has the suffix :version; only :tag, :name and :digest exist',
    })
    expect(parseMarker("{'$imagepolicy': 'a:b'}")).toMatchObject({
      error: expect.stringMatching(/not valid JSON/),
    })
    expect(parseMarker('{"$imagepolicy": "podinfo"}')).toMatchObject({
      error: expect.stringMatching(/names "podinfo"/),
    })
  })
})

describe('attaching markers', () => {
  const text = [
    'spec:',
    '  values:',
    '    image:',
    '      repository: ghcr.io/a/b # {"$imagepolicy": "ns:p:name"}',
    '      tag: "1.0.0"   # {"$imagepolicy": "ns:p:tag"}',
    '  # {"$imagepolicy": "ns:p"}',
    '  list:',
    '  - x:1 # {"$imagepolicy": "ns:p"}',
    '  containers:',
    '  - name: app',
    '    image: a:1 # {"$imagepolicy": "ns:p"}',
    '',
  ].join('\n')

  it('attaches each line comment to the scalar that ends on its line, and returns the rest as stray', () => {
    const { docs } = parseYaml(text)
    const comments = markerComments(text)
    expect(comments).toHaveLength(5)
    const { marked, stray } = attachMarkers(text, docs, comments)
    expect(marked.map((entry) => [entry.held.path.join('.'), entry.container, entry.comment.text])).toEqual([
      ['spec.values.image.repository', 'spec.values.image.repository', '{"$imagepolicy": "ns:p:name"}'],
      ['spec.values.image.tag', 'spec.values.image.tag', '{"$imagepolicy": "ns:p:tag"}'],
      ['spec.list.0', 'spec.list[0]', '{"$imagepolicy": "ns:p"}'],
      ['spec.containers.0.image', 'app', '{"$imagepolicy": "ns:p"}'],
    ])
    expect(stray.map((comment) => comment.text)).toEqual(['{"$imagepolicy": "ns:p"}'])
    expect(text.slice(stray[0]!.offset).startsWith('# {"$imagepolicy": "ns:p"}\n  list')).toBe(true)
  })
})
