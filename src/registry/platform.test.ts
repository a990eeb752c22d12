import { describe, expect, it } from 'vitest'
import { type IndexEntry, parsePlatform, pickPlatform } from './platform.js'

const entry = (digest: string, os: string, architecture: string, variant?: string): IndexEntry => ({
  digest,
  platform: variant ? { os, architecture, variant } : { os, architecture },
})

describe('parsePlatform', () => {
  it('reads os/arch[/variant] and rejects other shapes', () => {
    expect(parsePlatform('linux/amd64')).toEqual({ os: 'linux', architecture: 'amd64' })
    expect(parsePlatform('Linux/ARM/v7')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' })
    for (const bad of ['linux', 'linux/', '/amd64', 'a/b/c/d'])
      expect(() => parsePlatform(bad)).toThrow(/os\/architecture/)
  })
})

describe('pickPlatform', () => {
  const attestation: IndexEntry = {
    digest: 'att',
    platform: { os: 'unknown', architecture: 'unknown' },
    annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
  }

  it('skips attestation entries, even when they come first', () => {
    const annotatedOnly: IndexEntry = {
      ...entry('att2', 'linux', 'amd64'),
      annotations: attestation.annotations!,
    }
    const entries = [
      attestation,
      annotatedOnly,
      entry('arm', 'linux', 'arm64'),
      entry('amd', 'linux', 'amd64'),
    ]
    expect(pickPlatform(entries, parsePlatform('linux/amd64'))?.digest).toBe('amd')
  })

  it('matches variants, with arm64 meaning v8 and arm meaning v7 when unstated', () => {
    const entries = [
      entry('v6', 'linux', 'arm', 'v6'),
      entry('v7', 'linux', 'arm'),
      entry('a64', 'linux', 'arm64'),
    ]
    expect(pickPlatform(entries, parsePlatform('linux/arm/v7'))?.digest).toBe('v7')
    expect(pickPlatform(entries, parsePlatform('linux/arm/v6'))?.digest).toBe('v6')
    expect(pickPlatform(entries, parsePlatform('linux/arm64/v8'))?.digest).toBe('a64')
  })

  it('prefers an entry without variant when none is asked for, and gives undefined when nothing fits', () => {
    const entries = [entry('v3', 'linux', 'amd64', 'v3'), entry('plain', 'linux', 'amd64')]
    expect(pickPlatform(entries, parsePlatform('linux/amd64'))?.digest).toBe('plain')
    expect(pickPlatform(entries, parsePlatform('windows/amd64'))).toBeUndefined()
  })
})
