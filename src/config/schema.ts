// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the config file's own syntax, not a template
// The one schema of imagebot.yaml. The input side is the file a user writes (and the JSON Schema editors
// see); the output side is the loaded config: defaults applied, durations in milliseconds (`…Ms` keys).
// Paths are made absolute and REDIS_URL is applied by load.ts, which knows the file's folder and env.
import * as z from 'zod'
import { validateCommitTemplate } from '../commit/index.js'
import { canonicalRepository, parseImageRef } from '../image/reference.js'
import { EVENT_KINDS as NOTIFY_EVENTS } from '../notify/event.js'
import { NOTIFY_TYPES } from '../notify/providers/types.js'
import {
  duration,
  expecting,
  httpUrl,
  positiveInteger,
  positiveNumber,
  strict,
  stringList,
  text,
} from './fields.js'
import { hasUrlCredentials, splitUrlCredentials } from './url-credentials.js'

export const DEFAULT_AUTHOR = { name: 'imagebot', email: 'imagebot@users.noreply.github.com' }
export const DEFAULT_EXCLUDE_TAGS = ['*.sig', '*.att', '*.sbom']
export const WEBHOOK_TYPES = ['dockerhub', 'github', 'quay', 'harbor', 'distribution', 'generic'] as const
/** Webhook types whose secret travels in the URL path, so it must be URL-safe. */
const PATH_SECRET_TYPES = new Set(['dockerhub', 'quay'])
const MIN_SECRET_LENGTH = 16

const BRANCH = /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*@\{)[^\s~^:?*[\\\x00-\x1f]+(?<![./]|\.lock)$/
const branch = (description: string) =>
  text()
    .regex(BRANCH, { error: 'expected a git branch name such as main or release/1.x' })
    .meta({ description })

const gitAuth = strict({
  username: text().meta({
    description: 'User name; for GitHub tokens any non-empty value, e.g. x-access-token.',
  }),
  password: text().meta({
    description: 'Password or access token; write "${GIT_TOKEN}" to read it from env.',
  }),
})

export const DEFAULT_CI_SKIP = '[ci skip]'

/** An armored OpenPGP secret key, inline (usually "${VAR}") or in a file; its passphrase likewise. */
const signingKey = strict({
  key: text().optional().meta({ description: 'The armored secret key; write "${IMAGEBOT_SIGNING_KEY}".' }),
  keyFile: text()
    .optional()
    .meta({ description: 'File holding the armored secret key; relative to this file.' }),
  passphrase: text().optional().meta({ description: 'Passphrase of the key; write "${VAR}".' }),
  passphraseFile: text().optional().meta({ description: 'File holding the passphrase (one line).' }),
}).superRefine((signing, ctx) => {
  const both = (a: keyof typeof signing, b: keyof typeof signing, what: string) => {
    if (signing[a] !== undefined && signing[b] !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: [b],
        message: `give ${what} once: ${a} or ${b}`,
        params: { hideValue: true },
      })
  }
  both('key', 'keyFile', 'the key')
  both('passphrase', 'passphraseFile', 'the passphrase')
  if (signing.key === undefined && signing.keyFile === undefined)
    ctx.addIssue({ code: 'custom', message: 'expected key or keyFile', params: { hideValue: true } })
})

const commitSettings = strict({
  author: strict({ name: text(), email: text() })
    .default(() => ({ ...DEFAULT_AUTHOR }))
    .meta({ description: 'Author and committer of bot commits.' }),
  message: text()
    .superRefine((template, ctx) => {
      for (const message of validateCommitTemplate(template)) ctx.addIssue({ code: 'custom', message })
    })
    .optional()
    .meta({ description: 'Commit message template (see the commit message section).' }),
  ciSkip: z
    .boolean({ error: expecting('expected true or false') })
    .optional()
    .meta({
      description: `Append ciSkipMessage (default "${DEFAULT_CI_SKIP}") to bot commit subjects (Flux v1 --git-ci-skip).`,
    }),
  ciSkipMessage: text()
    .refine((value) => !/[\r\n]/.test(value), { error: 'expected one line' })
    .optional()
    .meta({ description: 'The CI-skip text; giving it turns ciSkip on (Flux v1 --git-ci-skip-message).' }),
  signingKey: signingKey
    .optional()
    .meta({ description: 'Sign bot commits with this OpenPGP key (Flux v1 --git-signing-key).' }),
}).superRefine((commit, ctx) => {
  if (commit.ciSkip === false && commit.ciSkipMessage !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['ciSkipMessage'],
      message: 'has no effect with ciSkip: false; remove one of them',
      params: { hideValue: true },
    })
  }
})

const repository = strict({
  url: httpUrl('git smart-HTTP remote', 'moved').meta({
    description: 'Git remote, http(s) only; credentials written in it are moved to auth (with a warning).',
  }),
  // No zod default: an unset branch is told apart from `branch: main`, because only an unset one lets an
  // ImageUpdateAutomation in the repository decide (run/automation.ts).
  branch: branch(
    "Branch to read and update; default: the ImageUpdateAutomation's checkout branch, else main.",
  ).optional(),
  pushBranch: branch(
    "Branch to push bot commits to; default: the ImageUpdateAutomation's push branch, else `branch`.",
  ).optional(),
  paths: stringList('path')
    .optional()
    .meta({ description: 'Path prefixes to scan; default: whole repository.' }),
  namespaces: stringList('namespace').optional().meta({ description: 'Namespaces to update; default: all.' }),
  auth: gitAuth.optional(),
  commit: commitSettings.prefault({}),
})
  .superRefine((entry, ctx) => {
    if (entry.auth && hasUrlCredentials(entry.url))
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message: 'credentials both in the URL and in auth; keep auth',
      })
  })
  .transform((entry) => {
    const { url, auth } = splitUrlCredentials(entry.url)
    const moved = entry.auth ?? auth
    const branch = entry.branch ?? 'main'
    return {
      ...entry,
      url,
      ...(moved && { auth: moved }),
      branch,
      pushBranch: entry.pushBranch ?? branch,
      /** Whether imagebot.yaml names the branch itself; only an unset one is decided by the automations. */
      explicitBranch: entry.branch !== undefined,
      explicitPushBranch: entry.pushBranch !== undefined,
    }
  })

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
function registryKey(host: string): string {
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

const registry = strict({
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

const webhook = strict({
  type: z.enum(WEBHOOK_TYPES, { error: expecting(`expected one of ${WEBHOOK_TYPES.join(', ')}`) }),
  secret: text()
    .min(MIN_SECRET_LENGTH, {
      error: `expected at least ${MIN_SECRET_LENGTH} characters (openssl rand -hex 20)`,
    })
    .meta({ description: 'Shared secret; write "${WEBHOOK_TOKEN}" to read it from env.' }),
}).superRefine((hook, ctx) => {
  if (PATH_SECRET_TYPES.has(hook.type) && !/^[A-Za-z0-9._~-]+$/.test(hook.secret)) {
    ctx.addIssue({
      code: 'custom',
      path: ['secret'],
      message: `a ${hook.type} secret is part of the URL: use only letters, digits and . _ ~ -`,
    })
  }
})

/** server.auth: a bearer token, or basic credentials for a browser's login prompt. */
const serverAuth = strict({
  token: text()
    .min(MIN_SECRET_LENGTH, {
      error: `expected at least ${MIN_SECRET_LENGTH} characters (openssl rand -hex 20)`,
    })
    .optional()
    .meta({ description: 'Bearer token; write "${IMAGEBOT_TOKEN}" to read it from env.' }),
  username: text().optional(),
  password: text()
    .min(MIN_SECRET_LENGTH, { error: `expected at least ${MIN_SECRET_LENGTH} characters` })
    .optional(),
})
  .superRefine((auth, ctx) => {
    const basic = auth.username !== undefined || auth.password !== undefined
    if (basic && auth.token !== undefined)
      ctx.addIssue({ code: 'custom', message: 'give either token, or username and password, not both' })
    else if (basic && (auth.username === undefined || auth.password === undefined))
      ctx.addIssue({ code: 'custom', message: 'username and password go together: give both' })
    else if (!basic && auth.token === undefined)
      ctx.addIssue({ code: 'custom', message: 'expected token, or username and password' })
  })
  .transform((auth): { token: string } | { username: string; password: string } =>
    auth.token !== undefined ? { token: auth.token } : { username: auth.username!, password: auth.password! },
  )
  .meta({
    description:
      'Protects the page, /status and /api (webhooks keep their own secrets). Without it /api answers loopback only.',
  })

const LISTEN = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/
/** A deadline for HTTP clients: never 0, which node:http reads as "wait forever". */
const clientDeadline = (description: string) =>
  duration(description)
    .refine((ms) => ms > 0, { error: 'expected a duration above 0' })
    .prefault('5s')

const server = strict({
  listen: text()
    .regex(LISTEN, { error: 'expected host:port, e.g. 127.0.0.1:8080 or [::1]:8080' })
    .refine((value) => Number(value.slice(value.lastIndexOf(':') + 1)) <= 65535, {
      error: 'port above 65535',
    })
    .default('127.0.0.1:8080')
    .meta({ description: 'Address of the page, /api, webhooks, /metrics, /healthz, /readyz and /status.' }),
  auth: serverAuth.optional(),
  headersTimeout: clientDeadline('Time a client has to send its complete request headers.'),
  bodyTimeout: clientDeadline('Time a client has, after its headers, to send its complete body.'),
  idleTimeout: clientDeadline('An idle keep-alive connection is closed after this.'),
  maxUnauthenticated: positiveInteger().default(32).meta({
    description: 'Signed (github, generic) webhook bodies read at once before they are authenticated.',
  }),
}).transform(({ listen, auth, headersTimeout, bodyTimeout, idleTimeout, maxUnauthenticated }) => {
  const [, ipv6, name, port] = LISTEN.exec(listen)!
  return {
    listen,
    host: (ipv6 ?? name)!,
    port: Number(port),
    ...(auth && { auth }),
    limits: {
      headersTimeoutMs: headersTimeout,
      bodyTimeoutMs: bodyTimeout,
      idleTimeoutMs: idleTimeout,
      maxUnauthenticated,
    },
  }
})

const notify = strict({
  type: z.enum(NOTIFY_TYPES, { error: expecting(`expected one of ${NOTIFY_TYPES.join(', ')}`) }),
  url: httpUrl('receiver', 'moved').meta({
    description:
      'Where to POST; write "${SLACK_WEBHOOK_URL}" to read it from env (only its origin is logged).',
  }),
  secret: text()
    .min(MIN_SECRET_LENGTH, {
      error: `expected at least ${MIN_SECRET_LENGTH} characters (openssl rand -hex 20)`,
    })
    .optional()
    .meta({ description: 'HMAC key of generic-hmac (X-Signature: sha256=…).' }),
  events: z
    .array(z.enum(NOTIFY_EVENTS, { error: expecting(`expected ${NOTIFY_EVENTS.join(', ')}`) }))
    .min(1, { error: 'expected at least one event' })
    .default(() => [...NOTIFY_EVENTS])
    .meta({ description: 'Which events to send; default all.' }),
  repositories: stringList('repository URL')
    .optional()
    .meta({ description: 'Only events of these config repositories.' }),
  namespaces: stringList('namespace')
    .optional()
    .meta({ description: 'Only commit changes in these namespaces (error and recovered always pass).' }),
}).superRefine((entry, ctx) => {
  if (entry.type === 'generic-hmac' && entry.secret === undefined)
    ctx.addIssue({ code: 'custom', path: ['secret'], message: 'generic-hmac signs with a secret: give one' })
  if (entry.type !== 'generic-hmac' && entry.secret !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['secret'],
      message: `a ${entry.type} receiver uses no secret; remove it`,
    })
})

const redis = strict({
  url: text().regex(/^rediss?:\/\/\S+$/, { error: 'expected a redis:// or rediss:// URL' }),
})

export const configSchema = strict({
  repositories: z.array(repository, { error: 'expected a list of repositories' }).default([]),
  registries: z.array(registry, { error: 'expected a list of registries' }).default([]),
  dockerConfig: text().optional().meta({ description: 'Docker config.json or Kubernetes dockerconfigjson.' }),
  scan: strict({
    interval: duration('How often each image repository is polled.').prefault('5m'),
    excludeTags: z
      .array(text())
      .default(() => [...DEFAULT_EXCLUDE_TAGS])
      .meta({ description: 'Tag globs never chosen.' }),
    concurrency: positiveInteger().default(8).meta({ description: 'Registry scans running at once.' }),
    includeImages: z.array(text()).optional().meta({
      description: 'Image globs: only these are scanned and updated (Flux v1 --registry-include-image).',
    }),
    excludeImages: z
      .array(text())
      .optional()
      .meta({ description: 'Image globs never scanned nor updated (Flux v1 --registry-exclude-image).' }),
  })
    .prefault({})
    .transform(({ interval, ...rest }) => ({ intervalMs: interval, ...rest })),
  stateDir: text().default('.imagebot').meta({ description: 'Clones and caches; relative to this file.' }),
  server: server.prefault({}),
  webhooks: z.array(webhook, { error: 'expected a list of webhooks' }).default([]),
  notify: z.array(notify, { error: 'expected a list of notification receivers' }).default([]),
  update: strict({ coalesce: duration('Wait after a trigger so bursts become one commit.').prefault('2s') })
    .prefault({})
    .transform(({ coalesce }) => ({ coalesceMs: coalesce })),
  redis: redis.optional().meta({ description: 'Queue backend; absent means in-process (or REDIS_URL).' }),
}).superRefine(rejectDuplicates)

type ParsedConfig = {
  repositories: { url: string; pushBranch: string }[]
  registries: { host: string }[]
  webhooks: { type: string }[]
}

/** Two entries for the same thing would make one silently win, so they are config errors. */
function rejectDuplicates(config: ParsedConfig, ctx: z.RefinementCtx): void {
  const check = <T>(list: T[], key: (item: T) => string, section: string, field: string) => {
    const seen = new Map<string, number>()
    list.forEach((item, index) => {
      const first = seen.get(key(item))
      if (first === undefined) seen.set(key(item), index)
      else
        ctx.addIssue({
          code: 'custom',
          path: [section, index, field],
          message: `duplicate of ${section}[${first}]`,
          params: { hideValue: true },
        })
    })
  }
  check(config.repositories, (r) => `${r.url} ${r.pushBranch}`, 'repositories', 'url')
  check(config.registries, (r) => registryKey(r.host), 'registries', 'host')
  check(config.webhooks, (w) => w.type, 'webhooks', 'type')
}

export type ImagebotConfig = z.output<typeof configSchema>
export type ImagebotConfigInput = z.input<typeof configSchema>
export type RepositoryConfig = ImagebotConfig['repositories'][number]
export type RegistryConfig = ImagebotConfig['registries'][number]
export type WebhookConfig = ImagebotConfig['webhooks'][number]
