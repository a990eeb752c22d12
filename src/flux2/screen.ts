// Screening before parsing, as for `automated`: a file without one of these tokens holds no marker and no
// object we read, so it is never parsed. Tokens are plain text in any file that has them (apiVersion
// values and marker comments are never escaped).

const MARKER = '$imagepolicy'
const OBJECT_TOKENS = ['image.toolkit.fluxcd.io', 'source.toolkit.fluxcd.io']
const MARKER_BYTES = Buffer.from(MARKER, 'latin1')
const OBJECT_BYTES = OBJECT_TOKENS.map((token) => Buffer.from(token, 'latin1'))

export function mightHoldMarkers(text: string): boolean {
  return text.includes(MARKER)
}

export function mightHoldObjects(text: string): boolean {
  return OBJECT_TOKENS.some((token) => text.includes(token))
}

/** mightHoldObjects on raw bytes, for the git stage (files beyond the configured paths). */
export function mightHoldObjectsBytes(bytes: Uint8Array): boolean {
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return OBJECT_BYTES.some((token) => buffer.indexOf(token) >= 0)
}

/** The same screen on raw bytes, for the git stage. */
export function mightMatterToFluxBytes(bytes: Uint8Array): boolean {
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return buffer.indexOf(MARKER_BYTES) >= 0 || OBJECT_BYTES.some((token) => buffer.indexOf(token) >= 0)
}
