// Flux v2 `filterTags`: an RE2 pattern selects tags, and `extract` (a Go template such as `$1`,
// `$ts`, `${ts}`) turns each selected tag into the value the policy orders. The tag, not the
// value, is what gets written to the manifest, as in Flux's RegexFilter.
import { compileRe2, expandTemplate, type Re2Pattern } from './re2.js'

// The same tags are asked about for every target of an image (filter, then order), and one
// policy instance serves them all, so values are kept, within a bound.
const CACHE_LIMIT = 4_096

export interface FilterTagsSpec {
  pattern: string
  extract?: string
}

export class TagFilter {
  private readonly regex: Re2Pattern
  private readonly extract: string
  private readonly values = new Map<string, string | null>()

  constructor(spec: FilterTagsSpec, shownAs: string) {
    // Flux compiles an empty pattern too: it selects every tag.
    this.regex = compileRe2(spec.pattern, shownAs, 'filterTags pattern')
    this.extract = spec.extract ?? ''
  }

  /** The value the policy orders for this tag, or undefined when the pattern does not select it. */
  valueOf(tag: string): string | undefined {
    let value = this.values.get(tag)
    if (value === undefined) {
      if (this.values.size >= CACHE_LIMIT) this.values.clear()
      const match = this.regex.exec(tag)
      value =
        match === null ? null : this.extract === '' ? tag : expandTemplate(this.extract, this.regex, match)
      this.values.set(tag, value)
    }
    return value ?? undefined
  }
}
