// Payloads are validated at the edge (zod, unknown fields ignored) and every repository they name must be a
// valid image repository before anything is scheduled from it.
import type { z } from 'zod'
import { parseImageRef, writtenName } from '../../image/reference.js'
import { PayloadError } from './types.js'

export function readPayload<T>(schema: z.ZodType<T>, payload: unknown, source: string): T {
  const parsed = schema.safeParse(payload)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]!
  const where = issue.path.length > 0 ? issue.path.join('.') : 'body'
  throw new PayloadError(`not a ${source} webhook payload: ${where}: ${issue.message}`)
}

/** The repository part of a reference (tag and digest dropped), as written: `quay.io/ns/app`. */
export function imageRepository(reference: string, source: string): string {
  try {
    return writtenName(parseImageRef(reference))
  } catch (error) {
    throw new PayloadError(`${source} webhook names an invalid image repository: ${(error as Error).message}`)
  }
}

/**
 * `<host>/<path>` when the host reads as a registry domain in an image reference; a bare name such as
 * `registry` would silently mean a Docker Hub namespace, so it is an error instead.
 */
export function hostedRepository(host: string, path: string, source: string): string {
  const repository = imageRepository(`${host}/${path}`, source)
  if (registryHost(repository) !== host) {
    throw new PayloadError(
      `${source} webhook: registry host "${host}" cannot start an image reference (it needs a "." or ":" or must be localhost)`,
    )
  }
  return repository
}

/** The registry host of a reference such as `harbor.example.com/library/nginx:1.2`, if it has one. */
export function registryHost(reference: string): string | undefined {
  try {
    return parseImageRef(reference).domain
  } catch {
    return undefined
  }
}
