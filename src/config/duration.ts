// Durations in the config file are strings such as `500ms`, `30s`, `5m`, `1h`, `1h30m` (or `0`), so a
// reader never has to guess the unit of a bare number.

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const
type Unit = keyof typeof UNIT_MS

/** The whole-string grammar: one or more `<number><unit>` parts, largest unit first is not enforced. */
export const DURATION_PATTERN = /^(?:0|(?:\d+(?:\.\d+)?(?:ms|s|m|h))+)$/
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g

/** Milliseconds for a duration string, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  if (!DURATION_PATTERN.test(text)) return undefined
  if (text === '0') return 0
  let total = 0
  for (const [, amount, unit] of text.matchAll(PART)) {
    total += Number(amount) * UNIT_MS[unit as Unit]
  }
  return Math.round(total)
}

/** A short human form for messages and status pages: 300000 → `5m`, 1500 → `1.5s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0'
  for (const unit of ['h', 'm', 's'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`
  }
  return ms >= 1_000 ? `${ms / 1_000}s` : `${ms}ms`
}
