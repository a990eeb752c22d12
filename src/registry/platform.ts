// Choosing one image from a multi-arch index (OCI index or Docker manifest list).

export interface Platform {
  os: string
  architecture: string
  variant?: string
}

export interface IndexEntry {
  mediaType?: string
  digest: string
  platform?: Partial<Platform>
  annotations?: Record<string, string>
}

/** 'linux/amd64', 'linux/arm64/v8', 'linux/arm/v7'. Throws on anything else. */
export function parsePlatform(text: string): Platform {
  const parts = text.trim().toLowerCase().split('/')
  const [os, architecture, variant] = parts
  if (parts.length < 2 || parts.length > 3 || !os || !architecture || parts.some((part) => part === '')) {
    throw new Error(`platform "${text}" is not os/architecture[/variant], e.g. linux/amd64`)
  }
  return variant ? { os, architecture, variant } : { os, architecture }
}

export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/')
}

/** BuildKit stores provenance/SBOM attestations as index entries with platform unknown/unknown. */
export function isAttestation(entry: IndexEntry): boolean {
  return (
    entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' ||
    entry.platform?.os === 'unknown' ||
    entry.platform?.architecture === 'unknown'
  )
}

/**
 * The entry for `wanted`: same os and architecture, same variant when one is asked for
 * (arm64 means v8, arm means v7 when unstated); without a wanted variant an entry without one
 * is preferred. Attestation entries never match.
 */
export function pickPlatform(entries: IndexEntry[], wanted: Platform): IndexEntry | undefined {
  const candidates = entries.filter(
    (entry) =>
      !isAttestation(entry) &&
      entry.platform?.os === wanted.os &&
      entry.platform?.architecture === wanted.architecture &&
      (wanted.variant === undefined || variantOf(entry.platform) === variantOf(wanted)),
  )
  if (wanted.variant !== undefined) return candidates[0]
  return candidates.find((entry) => !entry.platform?.variant) ?? candidates[0]
}

function variantOf(platform: Partial<Platform>): string | undefined {
  if (platform.variant) return platform.variant
  if (platform.architecture === 'arm64') return 'v8'
  if (platform.architecture === 'arm') return 'v7'
  return undefined
}
