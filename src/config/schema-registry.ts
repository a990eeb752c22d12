// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the config file's own syntax, not a template
// imagebot.yaml's registries[]: per-host endpoint, credentials, limits and retries. Part of the one schema
// (schema.ts).
import * as z from 'zod'
import { canonicalRepository, parseImageRef } from '../image/reference.js'
import { duration, expecting, httpUrl, positiveInteger, positiveNumber, strict, text } from './fields.js'

const registryAuth = strict({
  username: text().optional(),
  password: text().optional(),
  identityToken: text()
    .optional()
    .meta({ description: 'OAuth2 refresh token (docker login identity token).' }),
})
  .superRefine((auth, ctx) => {
    const basic = auth.username !== undefined || auth.password !== undefined
    if (basic && auth.identityToken !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'give either username and password, or identityToken, not both',
      })
    } else if (basic && (auth.username === undefined || auth.password === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'username and password go together: give both' })
    } else if (!basic && auth.identityToken === undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected username and password, or identityToken' })
    }
  })
  .transform((auth): { username: string; password: string } | { identityToken: string } =>
    auth.identityToken !== undefined
      ? { identityToken: auth.identityToken }
      : { username: auth.username!, password: auth.password! },
  )

const registryHost = text()
  .refine(isRegistryHost, {
    error: 'expected a registry host as written in image references, e.g. docker.io, ghcr.io, localhost:5000',
  })
  .meta({ description: 'Registry host as written in image references; bare image names mean docker.io.' })

/** docker.io, index.docker.io and DOCKER.IO are one registry. */
export function registryKey(host: string): string {
  try {
    return canonicalRepository(parseImageRef(`${host}/probe`)).registry
  } catch {
    return host
  }
}

function isRegistryHost(host: string): boolean {
  try {
    return parseImageRef(`${host}/probe`).domain === host
  } catch {
    return false
  }
}

export const registry = strict({
  host: registryHost,
  endpoint: httpUrl('registry API base').optional().meta({ description: 'API endpoint override or mirror.' }),
  auth: registryAuth.optional(),
  rateLimit: strict({ rps: positiveNumber(), burst: positiveInteger().optional() })
    .optional()
    .meta({ description: 'Client-side request budget; burst defaults to rps rounded up.' }),
  platform: text()
    .regex(/^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/, {
      error: 'expected os/arch[/variant], e.g. linux/arm64',
    })
    .default('linux/amd64'),
  pageSize: positiveInteger()
    .default(100)
    .meta({ description: 'Tags per page (Quay and GHCR cap it at 100).' }),
  maxPages: positiveInteger().optional(),
  timeout: duration('Per-request timeout.').optional(),
  retryAfterCap: duration('Longest Retry-After wait honoured before giving up.').optional(),
  maxRetries: z.number().int().min(0, { error: 'expected a whole number ≥ 0' }).optional(),
  retryBase: duration('First retry delay, doubled per retry.').optional(),
  maxConcurrency: positiveInteger().optional().meta({ description: 'Requests in flight to this registry.' }),
  dockerHubApi: z
    .boolean({ error: expecting('expected true or false') })
    .optional()
    .meta({ description: 'Reserved for a Docker Hub API fast path; currently has no effect.' }),
  interval: duration('Scan interval for images on this registry (overrides scan.interval).').optional(),
}).transform(({ timeout, retryAfterCap, retryBase, interval, rateLimit, ...rest }) => ({
  ...rest,
  ...(rateLimit && { rateLimit: { rps: rateLimit.rps, burst: rateLimit.burst ?? Math.ceil(rateLimit.rps) } }),
  ...(timeout !== undefined && { timeoutMs: timeout }),
  ...(retryAfterCap !== undefined && { retryAfterCapMs: retryAfterCap }),
  ...(retryBase !== undefined && { retryBaseMs: retryBase }),
  ...(interval !== undefined && { intervalMs: interval }),
}))
