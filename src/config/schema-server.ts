// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the config file's own syntax, not a template
// imagebot.yaml's server, webhooks[] and notify[]: what the daemon listens on, who may call it, and where it
// reports. Part of the one schema (schema.ts).
import * as z from 'zod'
import { EVENT_KINDS as NOTIFY_EVENTS } from '../notify/event.js'
import { NOTIFY_TYPES } from '../notify/providers/types.js'
import { duration, expecting, httpUrl, positiveInteger, strict, stringList, text } from './fields.js'

export const WEBHOOK_TYPES = ['dockerhub', 'github', 'quay', 'harbor', 'distribution', 'generic'] as const
/** Webhook types whose secret travels in the URL path, so it must be URL-safe. */
const PATH_SECRET_TYPES = new Set(['dockerhub', 'quay'])
const MIN_SECRET_LENGTH = 16

export const webhook = strict({
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

export const server = strict({
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

export const notify = strict({
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
