// Writing annotation values the way the map already writes them. Kubernetes annotation values are strings,
// so a value is written plain only when it reads back as the same string under YAML 1.2 and 1.1.
import { isScalar, parseDocument } from 'yaml'
import { readsAsString, sourceOf } from '../rewrite/scalar.js'

type Style = 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE'

/** The quoting most of the map's string values use; double quotes for a new or empty map. */
export function valueStyle(values: readonly unknown[]): Style {
  const counts = new Map<Style, number>()
  for (const value of values) {
    if (!isScalar(value) || typeof value.value !== 'string') continue
    const type = value.type
    if (type === 'PLAIN' || type === 'QUOTE_SINGLE' || type === 'QUOTE_DOUBLE') {
      counts.set(type, (counts.get(type) ?? 0) + 1)
    }
  }
  let best: Style = 'QUOTE_DOUBLE'
  let most = 0
  for (const [style, count] of counts) {
    if (count > most) [best, most] = [style, count]
  }
  return best
}

/** `value` as a scalar in `style`: plain falls back to double quotes when it would not read as itself. */
export function formatValue(value: string, style: string): string {
  if (/[\u0000-\u001f\u007f]/.test(value)) return sourceOf('QUOTE_DOUBLE', value)
  if (style === 'QUOTE_SINGLE' || style === 'QUOTE_DOUBLE') return sourceOf(style, value)
  return plainReadsBack(value) ? value : sourceOf('QUOTE_DOUBLE', value)
}

function plainReadsBack(value: string): boolean {
  if (value === '' || value !== value.trim() || !readsAsString(value)) return false
  return (['1.1', '1.2'] as const).every((version) => {
    const doc = parseDocument(`k: ${value}\n`, { version })
    return doc.errors.length === 0 && doc.warnings.length === 0 && doc.get('k') === value
  })
}
