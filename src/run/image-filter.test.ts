// scan.includeImages / scan.excludeImages, on the cases of Flux v1's TestExcludeInclude
// (fluxcd/flux pkg/cluster/includelist_test.go): exclusions win, no inclusions means everything.
import { describe, expect, it } from 'vitest'
import { parseImageRef } from '../image/reference.js'
import type { Target } from '../types.js'
import { filterImages } from './image-filter.js'

function target(image: string): Target {
  return {
    file: 'a.yaml',
    doc: 0,
    workload: 'default:deployment/a',
    container: image,
    fields: {},
    current: parseImageRef(image),
    policy: { kind: 'glob', pattern: '*' },
  } as Target
}

const kept = (images: string[], filter: Parameters<typeof filterImages>[1]) =>
  filterImages(images.map(target), filter).kept.map((t) => t.container)

describe('filterImages', () => {
  it('excludes only what matches an exclusion when there are no inclusions', () => {
    const images = ['foo', 'foo.example/bar', 'starts.example/foo/bar', 'foo.example/bar/baz']
    expect(kept(images, { excludeImages: ['foo.example/*'] })).toEqual(['foo', 'starts.example/foo/bar'])
  })

  it('keeps only inclusions, less explicit exclusions; * spans slashes as in Flux v1', () => {
    const images = [
      'boo.example/whatever',
      'foo.example/something/else',
      'baz.example/anything',
      'foo.example/bar/something',
      'unrelated',
    ]
    expect(
      kept(images, {
        excludeImages: ['foo.example/bar/*'],
        includeImages: ['foo.example/*', 'boo.example/*'],
      }),
    ).toEqual(['boo.example/whatever', 'foo.example/something/else'])
  })

  it('matches the canonical Docker Hub name as Flux v1 did, and the name as written', () => {
    expect(kept(['nginx:1.25', 'bitnami/redis:7'], { excludeImages: ['docker.io/library/*'] })).toEqual([
      'bitnami/redis:7',
    ])
    expect(kept(['nginx:1.25', 'bitnami/redis:7'], { excludeImages: ['bitnami/*'] })).toEqual(['nginx:1.25'])
    // Regex characters in a glob are literal.
    expect(kept(['a.example/x', 'aXexample/x'], { includeImages: ['a.example/*'] })).toEqual(['a.example/x'])
  })

  it('reports every filtered image as skipped with the rule', () => {
    const { skipped } = filterImages([target('k8s.gcr.io/pause:3.9'), target('ghcr.io/o/x:1')], {
      excludeImages: ['k8s.gcr.io/*'],
      includeImages: ['quay.io/*'],
    })
    expect(skipped.map((s) => s.reason)).toEqual([
      'image excluded by scan.excludeImages "k8s.gcr.io/*"',
      'image not in scan.includeImages (quay.io/*)',
    ])
  })
})
