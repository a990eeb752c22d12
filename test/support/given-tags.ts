// An observer that answers from given tags (and digests), for golden tests of planning: the input a
// registry would give, without a registry. End-to-end tests use the real registry instead.
import type { RepositoryObservation } from '../../src/registry/observe.js'
import type { Observer } from '../../src/run/plan.js'

/** Repository key (`docker.io/library/nginx`) → its tags and the digests of some. */
export type GivenRegistry = Record<string, { tags: string[]; digests?: Record<string, string> }>

/** The registry as case.json gives it: tags, and the digest metadata of some. */
export function givenTags(registry: GivenRegistry): Observer {
  return async (requests) =>
    new Map(
      requests.map(({ key, wantsMetadata }): [string, RepositoryObservation] => {
        const entry = registry[key] ?? { tags: [] }
        const metadata = new Map(
          entry.tags
            .filter((tag) => entry.digests?.[tag] && wantsMetadata(tag))
            .map((tag) => [tag, { digest: entry.digests![tag]! }]),
        )
        return [key, { key, tags: entry.tags, tagsSeen: entry.tags.length, metadata, problems: [] }]
      }),
    )
}
