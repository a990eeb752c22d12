// Equality of two parsers' readings (verification compares a document before and after an edit), with the
// meaning of node:util's isDeepStrictEqual, which it falls back to for anything but plain objects, arrays and
// primitives. Measured reason for the hand-written walk: over the 200 Deployments `imagebot plan` verifies in
// bench/cli.bench.ts, isDeepStrictEqual took 5.8–9.0 ms in a fresh process and this 1.5–2.8 ms. It allocates
// only key lists (Object.keys of each record and array), where isDeepStrictEqual's key sets and iterators
// were ~1 MB of that run's young garbage.
import { isDeepStrictEqual } from 'node:util'

/** True when both values read the same: primitives by Object.is (so NaN equals NaN, -0 does not equal 0). */
export function sameValues(left: unknown, right: unknown): boolean {
  if (Object.is(left, right)) return true
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false
  const prototype = Object.getPrototypeOf(left)
  if (prototype !== Object.getPrototypeOf(right)) return false
  if (prototype === Array.prototype) return sameArrays(left as unknown[], right as unknown[])
  // Dates, Maps, Sets, Uint8Arrays (`yaml` reads !!timestamp, !!set, !!omap, !!binary as these): node's own.
  if (prototype !== Object.prototype && prototype !== null) return isDeepStrictEqual(left, right)
  return sameRecords(left as Record<string, unknown>, right as Record<string, unknown>)
}

function sameArrays(left: unknown[], right: unknown[]): boolean {
  if (left.length !== right.length) return false
  for (let index = 0; index < left.length; index++) {
    // A hole and an explicit undefined differ for isDeepStrictEqual; parsers make neither, but keep the meaning.
    if (index in left !== index in right || !sameValues(left[index], right[index])) return false
  }
  // An array with extra own properties differs for isDeepStrictEqual; parsers make none, but keep the meaning.
  return Object.keys(left).length === Object.keys(right).length
}

function sameRecords(left: Record<string, unknown>, right: Record<string, unknown>): boolean {
  const keys = Object.keys(left)
  if (keys.length !== Object.keys(right).length) return false
  for (const key of keys) {
    if (!Object.hasOwn(right, key) || !sameValues(left[key], right[key])) return false
  }
  // Symbol keys and non-enumerable properties count for isDeepStrictEqual; a parsed document has none.
  return Object.getOwnPropertySymbols(left).length === 0 && Object.getOwnPropertySymbols(right).length === 0
}
