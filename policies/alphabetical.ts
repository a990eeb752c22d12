// Flux v2 `alphabetical`: values compare byte by byte (Go's sort.Strings; tags are ASCII), so
// `asc` picks `20.10` over `16.04` and `zesty` over `artful`, but `build-9` over `build-10`.
import { OrderedPolicy } from './ordered.js'
import { compareStrings } from './policy.js'

export class AlphabeticalPolicy extends OrderedPolicy<string> {
  protected readonly unorderedWhy = 'not selected by filterTags'

  protected keyOf(value: string): string {
    return value
  }

  protected compare(a: string, b: string): number {
    return compareStrings(a, b)
  }
}
