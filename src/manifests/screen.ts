// Screening before parsing: only a workload annotated `…/automated` can yield a target, and only a
// file holding a Flux annotation prefix can hold a misspelt one worth a warning (`fluxcd.io/automate`),
// so a file with none of these tokens is never parsed. Sound because annotation keys are plain text in
// the file; only an escape sequence inside a quoted key could hide one, which no one writes.

const TOKENS = ['automated', 'fluxcd.io/', 'flux.weave.works/']
const TOKEN_BYTES = TOKENS.map((token) => Buffer.from(token, 'latin1'))

export function mightBeAutomated(text: string): boolean {
  return TOKENS.some((token) => text.includes(token))
}

/** The same test on raw bytes, so the git stage can skip decoding unrelated blobs. */
export function mightBeAutomatedBytes(bytes: Uint8Array): boolean {
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return TOKEN_BYTES.some((token) => buffer.indexOf(token) >= 0)
}
