// Semver ranges as Flux read them: Masterminds/semver v3 constraints (Flux v1 and the Flux v2
// ImagePolicy both use it), written here rather than translated to node-semver because the two
// differ where it matters for image tags (pre-releases, partial versions, `,` as AND):
// - `||` separates alternatives; within one, comparators are ANDed, separated by `,` or spaces;
// - `A - B` means `>= A, <= B`; `x`, `X` and `*` are wildcards; partial versions are allowed;
// - operators `=` (or none), `!=`, `>`, `<`, `>=` (`=>`), `<=` (`=<`), `~` (`~>`), `^`;
// - a pre-release version passes a comparator only if that comparator names a pre-release
//   itself, so `>=1.0.0-0` takes every pre-release from 1.0.0-0 up and `>=1.0.0-0, <2.0.0` none.
import type { SemVer } from 'semver'
// Only the parser (and the SemVer class it builds): semver's index loads all of its ~50 modules, 58 KB more
// for the CLI bundle to compile at start.
import parseSemver from 'semver/functions/parse.js'

const OP = '!=|>=|=>|<=|=<|~>|>|<|=|~|\\^|'
const PART = '[0-9xX*]+'
const IDS = '[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*'
const CV = `v?(${PART})(?:\\.(${PART}))?(?:\\.(${PART}))?(?:-(${IDS}))?(?:\\+${IDS})?`
const CV_PLAIN = CV.replace(/\((?!\?)/g, '(?:')
const HYPHEN_RANGE = new RegExp(`\\s*(${CV_PLAIN})\\s+-\\s+(${CV_PLAIN})\\s*`, 'g')
const ONE = `(${OP})\\s*${CV}`
const SEGMENT = new RegExp(
  `^\\s*(?:${OP})\\s*${CV_PLAIN}\\s*(?:(?:\\s+|,\\s*)(?:${OP})\\s*${CV_PLAIN}\\s*)*$`,
)
const FIND = new RegExp(ONE, 'g')

type Op = '=' | '!=' | '>' | '<' | '>=' | '<=' | '~' | '^'
const CANONICAL: Record<string, Op> = { '': '=', '=>': '>=', '=<': '<=', '~>': '~' }

interface Comparator {
  op: Op
  /** The version written, wildcards and missing parts as 0. */
  version: SemVer
  /** Which parts were a wildcard or missing: none, from the patch, minor or major on. */
  loose: 'none' | 'patch' | 'minor' | 'major'
  hasPrerelease: boolean
}

export class SemverRangeError extends Error {}

/** A parsed range: alternatives of comparators that must all hold. Throws SemverRangeError. */
export class SemverRange {
  private readonly alternatives: Comparator[][]

  constructor(text: string) {
    const rewritten = text.replace(
      HYPHEN_RANGE,
      (_all, low: string, high: string) => ` >= ${low}, <= ${high} `,
    )
    this.alternatives = rewritten.split('||').map((part) => {
      if (!SEGMENT.test(part)) throw new SemverRangeError(`"${part.trim()}" is not a constraint`)
      return [...part.matchAll(FIND)].map((match) => comparator(match))
    })
  }

  test(version: SemVer): boolean {
    return this.alternatives.some((all) => all.every((c) => satisfies(version, c)))
  }
}

function comparator(match: RegExpMatchArray): Comparator {
  const [written, opText = '', major = '', minor, patch, pre] = match
  const parts = [major, minor, patch]
  for (const part of parts) {
    if (part !== undefined && !/^(\d+|[xX*])$/.test(part)) {
      throw new SemverRangeError(`"${written.trim()}": "${part}" is neither a number nor a wildcard`)
    }
  }
  const wild = (part: string | undefined) => part === undefined || /^[xX*]$/.test(part)
  const loose = wild(major) ? 'major' : wild(minor) ? 'minor' : wild(patch) ? 'patch' : 'none'
  const numbers = parts.map((part) => (wild(part) ? '0' : String(Number(part))))
  if (loose === 'major') numbers.fill('0')
  if (loose === 'minor') numbers.fill('0', 1)
  const version = parseSemver(`${numbers.join('.')}${pre ? `-${pre}` : ''}`)
  if (version === null) throw new SemverRangeError(`"${written.trim()}" is not a version`)
  const op = CANONICAL[opText] ?? (opText as Op)
  return { op, version, loose, hasPrerelease: pre !== undefined }
}

function satisfies(v: SemVer, c: Comparator): boolean {
  const prerelease = v.prerelease.length > 0
  // Issue 21 of Masterminds/semver: a pre-release is not what a release-only comparator asks for.
  if (prerelease && !c.hasPrerelease && !(c.op === '!=' && c.loose === 'none')) return false
  const con = c.version
  const order = v.compare(con)
  switch (c.op) {
    case '=':
      return c.loose === 'none' ? order === 0 : tilde(v, c)
    case '!=':
      return c.loose === 'none' ? order !== 0 : notEqualLoose(v, c)
    case '>':
      if (c.loose === 'none' || c.loose === 'major') return order > 0
      if (v.major !== con.major) return v.major > con.major
      return c.loose === 'patch' && v.minor > con.minor
    case '<':
      return order < 0
    case '>=':
      return order >= 0
    case '<=':
      if (c.loose === 'none') return order <= 0
      if (v.major !== con.major) return v.major < con.major
      return c.loose === 'minor' || v.minor <= con.minor
    case '~':
      return tilde(v, c)
    case '^':
      return caret(v, c, order)
  }
}

/** `~1.2.3` is >=1.2.3 <1.3.0; `~1` and `~1.x` are >=1 <2; `~*` and `~0.0.0` take everything. */
function tilde(v: SemVer, c: Comparator): boolean {
  const con = c.version
  if (v.compare(con) < 0) return false
  if (c.loose === 'major' || (con.major === 0 && con.minor === 0 && con.patch === 0 && c.loose === 'none'))
    return true
  if (v.major !== con.major) return false
  return c.loose === 'minor' || v.minor === con.minor
}

/** `^1.2.3` is >=1.2.3 <2; `^0.2.3` is >=0.2.3 <0.3; `^0.0.3` is =0.0.3; `^0.0` is <0.1; `^0` is <1. */
function caret(v: SemVer, c: Comparator, order: number): boolean {
  const con = c.version
  if (order < 0) return false
  if (c.loose === 'major') return true
  if (con.major > 0 || c.loose === 'minor') return v.major === con.major
  if (v.major > 0) return false
  if (con.minor > 0 || c.loose === 'patch') return v.minor === con.minor
  return v.minor === 0 && v.patch === con.patch
}

/**
 * `!=` with a wildcard, as Masterminds reads it: `!= 1.2.x` passes what differs in major or minor;
 * `!= 1.x` what differs in major; at equal parts only a different pre-release passes.
 */
function notEqualLoose(v: SemVer, c: Comparator): boolean {
  const con = c.version
  if (v.major !== con.major) return true
  if (c.loose === 'minor') return false
  if (v.minor !== con.minor) return true
  if (c.loose === 'patch') return (v.prerelease.length > 0 || c.hasPrerelease) && v.comparePre(con) !== 0
  return v.patch !== con.patch || v.compare(con) !== 0
}
