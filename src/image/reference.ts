// Image references per the distribution reference grammar
// (github.com/distribution/reference). The written form is kept so that a rewrite
// changes only the tag: `nginx:1.1` becomes `nginx:1.2`, never `docker.io/library/nginx:1.2`.

export interface ImageRef {
  /** Registry domain exactly as written (`myreg:5000`), absent for Docker Hub shorthand. */
  domain?: string
  /** Repository path as written (`nginx`, `stefanprodan/podinfo`). */
  path: string
  tag?: string
  digest?: string
  /** The reference as the user wrote it. */
  written: string
}

/** A registry repository in canonical form, used for registry calls and comparisons only. */
export interface RepositoryName {
  /** `docker.io` for Docker Hub, else the domain as written (lower-cased). */
  registry: string
  /** `library/nginx` for Docker Hub official images. */
  repository: string
}

export class ImageRefError extends Error {
  readonly code = 'IMAGE_REF_INVALID'
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`invalid image reference "${input}": ${reason}`)
  }
}

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'
const DOMAIN = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`,
)
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
export const TAG_PATTERN = /^[\w][\w.-]{0,127}$/
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/
const NAME_MAX = 255

export const DOCKER_HUB = 'docker.io'
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io'])

export function isValidDigest(digest: string): boolean {
  return DIGEST.test(digest)
}

export function isValidTag(tag: string): boolean {
  return TAG_PATTERN.test(tag)
}

/** True when the first path component names a registry rather than a Docker Hub namespace. */
function looksLikeDomain(component: string): boolean {
  return (
    component === 'localhost' ||
    component.includes('.') ||
    component.includes(':') ||
    component.toLowerCase() !== component
  )
}

export function parseImageRef(input: string): ImageRef {
  const written = input
  if (input.length === 0) throw new ImageRefError(input, 'empty')
  if (/\s/.test(input)) throw new ImageRefError(input, 'contains whitespace')

  let rest = input
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
    if (!DIGEST.test(digest)) throw new ImageRefError(input, `invalid digest "${digest}"`)
  }

  // A tag is after the last colon that follows the last slash; a colon before it is a port.
  let tag: string | undefined
  const lastSlash = rest.lastIndexOf('/')
  const colon = rest.indexOf(':', lastSlash + 1)
  if (colon >= 0) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
    if (!TAG_PATTERN.test(tag)) throw new ImageRefError(input, `invalid tag "${tag}"`)
  }

  let domain: string | undefined
  let path = rest
  const firstSlash = rest.indexOf('/')
  if (firstSlash >= 0 && looksLikeDomain(rest.slice(0, firstSlash))) {
    domain = rest.slice(0, firstSlash)
    path = rest.slice(firstSlash + 1)
    if (!DOMAIN.test(domain)) throw new ImageRefError(input, `invalid registry domain "${domain}"`)
  }
  if (path.length === 0) throw new ImageRefError(input, 'missing repository name')
  for (const component of path.split('/')) {
    if (component.toLowerCase() !== component) {
      throw new ImageRefError(input, 'repository name must be lowercase')
    }
    if (!PATH_COMPONENT.test(component)) {
      throw new ImageRefError(input, `invalid path component "${component}"`)
    }
  }
  if ((domain ? domain.length + 1 : 0) + path.length > NAME_MAX) {
    throw new ImageRefError(input, `name longer than ${NAME_MAX} characters`)
  }
  const ref: ImageRef = { path, written }
  if (domain !== undefined) ref.domain = domain
  if (tag !== undefined) ref.tag = tag
  if (digest !== undefined) ref.digest = digest
  return ref
}

/** The repository part as written: `myreg:5000/app`, `nginx`. */
export function writtenName(ref: ImageRef): string {
  return ref.domain ? `${ref.domain}/${ref.path}` : ref.path
}

/**
 * The reference with a new tag, in the user's written form. A digest is dropped because it
 * pins the old content and would contradict the new tag.
 */
export function withTag(ref: ImageRef, tag: string): string {
  if (!TAG_PATTERN.test(tag)) throw new ImageRefError(tag, 'invalid tag')
  return `${writtenName(ref)}:${tag}`
}

export function canonicalRepository(ref: ImageRef): RepositoryName {
  const domain = ref.domain?.toLowerCase()
  if (domain === undefined || DOCKER_HUB_ALIASES.has(domain)) {
    const repository = ref.path.includes('/') ? ref.path : `library/${ref.path}`
    return { registry: DOCKER_HUB, repository }
  }
  return { registry: domain, repository: ref.path }
}

/** A stable key for one registry repository: `docker.io/library/nginx`. */
export function repositoryKey(ref: ImageRef | RepositoryName): string {
  const name = 'written' in ref ? canonicalRepository(ref) : ref
  return `${name.registry}/${name.repository}`
}
