import { isDeepStrictEqual } from 'node:util'
import { describe, expect, it } from 'vitest'
import { sameValues } from './same-values.js'

// Each pair is judged as node:util's isDeepStrictEqual judges it: sameValues is a faster walk with its meaning.
const pairs: [string, unknown, unknown][] = [
  ['equal documents', { a: [1, { b: 'x' }], c: null }, { a: [1, { b: 'x' }], c: null }],
  ['a changed scalar deep down', { a: [1, { b: 'x' }] }, { a: [1, { b: 'y' }] }],
  ['a number read as a string', { tag: 150 }, { tag: '150' }],
  ['NaN and NaN', { v: Number.NaN }, { v: Number.NaN }],
  ['0 and -0', { v: 0 }, { v: -0 }],
  ['an extra key', { a: 1 }, { a: 1, b: 2 }],
  ['a missing key with undefined on the other side', { a: 1, b: undefined }, { a: 1, c: undefined }],
  ['keys in another order', { a: 1, b: 2 }, { b: 2, a: 1 }],
  ['an array against an object', { v: [] }, { v: {} }],
  ['arrays of different lengths', [1, 2], [1, 2, 3]],
  // biome-ignore lint/suspicious/noSparseArray: a hole is the case under test
  ['a hole against undefined', [1, , 3], [1, undefined, 3]],
  ['an array with an extra property', Object.assign([1, 2], { x: 1 }), [1, 2]],
  ['a record with a symbol key', { a: 1, [Symbol.for('s')]: 1 }, { a: 1 }],
  ['a null-prototype record against a plain one', Object.assign(Object.create(null), { a: 1 }), { a: 1 }],
  ['equal dates', new Date(0), new Date(0)],
  ['different dates', new Date(0), new Date(1)],
  ['equal bytes', new Uint8Array([1, 2]), new Uint8Array([1, 2])],
  ['different bytes', new Uint8Array([1, 2]), new Uint8Array([1, 3])],
  ['equal maps', new Map([['a', { b: 1 }]]), new Map([['a', { b: 1 }]])],
  ['different sets', new Set([1]), new Set([2])],
  ['true and 1', true, 1],
  ['null and undefined', null, undefined],
]

describe('sameValues', () => {
  for (const [name, left, right] of pairs) {
    it(`${name}: ${isDeepStrictEqual(left, right) ? 'same' : 'different'}, as isDeepStrictEqual says`, () => {
      expect(sameValues(left, right)).toBe(isDeepStrictEqual(left, right))
      expect(sameValues(right, left)).toBe(isDeepStrictEqual(right, left))
    })
  }

  it('tells apart the pairs that differ (the table holds both kinds)', () => {
    const verdicts = new Set(pairs.map(([, left, right]) => sameValues(left, right)))
    expect(verdicts).toEqual(new Set([true, false]))
  })
})
