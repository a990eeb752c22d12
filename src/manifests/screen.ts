// Screening before parsing: only a workload annotated `…/automated` can yield a target, so a file
// without that word is never parsed. Sound because annotation keys are plain text in the file
// (`fluxcd.io/automated`, `flux.weave.works/automated`); only an escape sequence inside a quoted
// key could hide it, which no one writes.

const TOKEN = 'automated'
const TOKEN_BYTES = Buffer.from(TOKEN, 'latin1')

export function mightBeAutomated(text: string): boolean {
  return text.includes(TOKEN)
}

/** The same test on raw bytes, so the git stage can skip decoding unrelated blobs. */
export function mightBeAutomatedBytes(bytes: Uint8Array): boolean {
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return buffer.indexOf(TOKEN_BYTES) >= 0
}
