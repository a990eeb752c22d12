// Image references as Flux v1 parsed them: fluxcd/flux@c2317f813d94 pkg/image/image_test.go
// (TestParseRef and the invalid-reference cases). The registry repository behind each must be the
// one Flux looked up, so a switch from Flux keeps asking the registry for the same tags.
// We deliberately differ in one spelling: Flux names Docker Hub `index.docker.io`, we `docker.io`
// (the same registry; the key only identifies it).
import { describe, expect, it } from 'vitest'
import { canonicalRepository, ImageRefError, parseImageRef } from './reference.js'

describe('Flux v1 references (image_test.go)', () => {
  it.each([
    ['alpine', 'docker.io', 'library/alpine', undefined],
    ['library/alpine', 'docker.io', 'library/alpine', undefined],
    ['alpine:mytag', 'docker.io', 'library/alpine', 'mytag'],
    ['docker.io/library/alpine', 'docker.io', 'library/alpine', undefined],
    ['localhost/hello:v1.1', 'localhost', 'hello', 'v1.1'],
    ['localhost:5000/hello:v1.1', 'localhost:5000', 'hello', 'v1.1'],
    ['example.com/hello:v1.1', 'example.com', 'hello', 'v1.1'],
    ['quay.io/library/alpine', 'quay.io', 'library/alpine', undefined],
    ['quay.io/library/alpine:latest', 'quay.io', 'library/alpine', 'latest'],
    ['quay.io/library/alpine:mytag', 'quay.io', 'library/alpine', 'mytag'],
    ['localhost:5000/path/to/repo/alpine:mytag', 'localhost:5000', 'path/to/repo/alpine', 'mytag'],
    [
      'kennethreitz/httpbin@sha256:599fe5e5073102dbb0ee3dbb65f049dab44fa9fc251f6835c9990f8fb196a72b',
      'docker.io',
      'kennethreitz/httpbin',
      undefined,
    ],
  ])('%s', (input, registry, repository, tag) => {
    const ref = parseImageRef(input)
    expect(canonicalRepository(ref)).toEqual({ registry, repository })
    expect(ref.tag).toBe(tag)
  })

  it.each(['', ':tag', '/leading/slash', 'trailing/slash/'])('refuses %j', (input) => {
    expect(() => parseImageRef(input)).toThrow(ImageRefError)
  })
})
