// Whole-tag glob matching (minimatch), for glob policies and tag exclusions.
import { Minimatch } from 'minimatch'
import { PolicyError } from './policy.js'

export type TagMatcher = (tag: string) => boolean

/** `#` and `!` keep their minimatch meaning of literal and negation; tags never hold `/`. */
const GLOB_OPTIONS = { nocomment: true, dot: true } as const

// Characters that make a glob more than a literal for minimatch (wildcards, classes, braces, extglobs).
const GLOB_MAGIC = /[*?[\]{}()!+@\\]/

/**
 * Compiles a whole-tag glob; `shownAs` and `what` name it in errors (`tag policy "glob:"`). The
 * common shapes (`*`, `dev-*`, `*.sig`, a literal) skip minimatch: decide() runs every listed
 * tag through every exclusion for every target, so these are the hot path.
 */
export function compileGlob(glob: string, shownAs: string, what: string): TagMatcher {
  if (glob.trim() === '') {
    throw new PolicyError(shownAs, 'the glob is empty; write * to match every tag', what)
  }
  if (/[/\s]/.test(glob)) {
    throw new PolicyError(shownAs, 'the glob contains "/" or whitespace, which no tag can contain', what)
  }
  if (glob === '*') return (tag) => tag.length > 0
  if (!GLOB_MAGIC.test(glob)) return (tag) => tag === glob
  const head = glob.slice(0, -1)
  if (glob.endsWith('*') && !GLOB_MAGIC.test(head)) return (tag) => tag.startsWith(head)
  const tail = glob.slice(1)
  if (glob.startsWith('*') && !GLOB_MAGIC.test(tail)) return (tag) => tag.endsWith(tail)
  return minimatchMatcher(glob)
}

/** The general case, also used by tests to check the shortcuts against minimatch. */
export function minimatchMatcher(glob: string): TagMatcher {
  const minimatch = new Minimatch(glob, GLOB_OPTIONS)
  return (tag) => minimatch.match(tag)
}
