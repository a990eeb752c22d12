import { describe, expect, it } from 'vitest'
import { parseYaml } from './parse.js'

describe('parseYaml sharing', () => {
  it('shares the parse of a text several readers read (markers, toolkit objects), and only those', () => {
    const marked = 'image: app:1.0 # {"$imagepolicy": "flux-system:app"}\n'
    const object = 'apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\n'
    const plain = 'apiVersion: apps/v1\nkind: Deployment\n'
    expect(parseYaml(marked)).toBe(parseYaml(marked))
    expect(parseYaml(object)).toBe(parseYaml(object))
    // Read once: kept, it would only outlive young collections and be promoted (parse.ts).
    expect(parseYaml(plain)).not.toBe(parseYaml(plain))
    expect(parseYaml(plain).docs[0]?.contents).toEqual(parseYaml(plain).docs[0]?.contents)
  })
})
