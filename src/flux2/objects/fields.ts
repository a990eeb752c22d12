// Reading plain values out of an object's JS form without trusting its shape.

export type Json = Record<string, unknown>

export function record(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined
}

export function dig(value: unknown, ...keys: string[]): unknown {
  let current = value
  for (const key of keys) current = record(current)?.[key]
  return current
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, entry] of Object.entries(record(value) ?? {})) {
    if (typeof entry === 'string') out[key] = entry
  }
  return out
}

export function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string') ? value : undefined
}
