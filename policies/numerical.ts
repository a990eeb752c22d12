// Flux v2 `numerical`: values are numbers (`-62`, `47.408`, `1606234201`, `1e3`) and `asc` picks
// the greatest. Flux refuses to pick when any value is not a number; so do we, naming them.
import { OrderedPolicy } from './ordered.js'
import type { Ordering } from './policy.js'

// Go's strconv.ParseFloat also reads `inf`, `nan` and hex floats; as tags those are words, not
// versions, so only decimal notation counts as a number here.
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/

/** A decimal read exactly (float64 would make long timestamps tie): sign, digits, exponent. */
interface Decimal {
  sign: -1 | 0 | 1
  /** Significant digits without leading or trailing zeros, e.g. `123` for 0.0123. */
  digits: string
  /** Where the decimal point sits after the first significant digit, e.g. -2 for 0.0123. */
  exponent: number
}

export function parseDecimal(text: string): Decimal | undefined {
  const parts = DECIMAL.exec(text)
  if (parts === null) return undefined
  const [, sign = '', whole = '', fraction = '', power = '0'] = parts
  if (whole === '' && fraction === '') return undefined
  const all = whole + fraction
  const lead = all.search(/[1-9]/)
  if (lead < 0) return { sign: 0, digits: '', exponent: 0 }
  const digits = all.slice(lead).replace(/0+$/, '')
  return { sign: sign === '-' ? -1 : 1, digits, exponent: whole.length - lead - 1 + Number(power) }
}

/** Ascending numeric order, exact for any number of digits. */
export function compareDecimals(a: Decimal, b: Decimal): number {
  if (a.sign !== b.sign) return a.sign - b.sign
  const magnitude = a.exponent - b.exponent || (a.digits < b.digits ? -1 : a.digits > b.digits ? 1 : 0)
  return a.sign * Math.sign(magnitude)
}

export class NumericalPolicy extends OrderedPolicy<Decimal> {
  protected readonly unorderedWhy =
    'no numeric value, and a numerical policy picks only when every candidate has one'

  protected keyOf(value: string): Decimal | undefined {
    return parseDecimal(value)
  }

  protected compare(a: Decimal, b: Decimal): number {
    return compareDecimals(a, b)
  }

  override order(tags: readonly string[]): Ordering {
    const ordering = super.order(tags)
    // As Flux: one value that is not a number makes the whole choice an error, not a smaller pool.
    return ordering.unordered.length > 0 ? { ...ordering, ranked: [], tiedAtTop: 0 } : ordering
  }
}
