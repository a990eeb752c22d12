// The one schema of imagebot.yaml. The input side is the file a user writes (and the JSON Schema editors
// see); the output side is the loaded config: defaults applied, durations in milliseconds (`…Ms` keys).
// Paths are made absolute and REDIS_URL is applied by load.ts, which knows the file's folder and env.
// Its sections live beside it: schema-repository.ts, schema-registry.ts, schema-server.ts.
import * as z from 'zod'
import { duration, positiveInteger, strict, text } from './fields.js'
import { registry, registryKey } from './schema-registry.js'
import { repository } from './schema-repository.js'
import { notify, server, webhook } from './schema-server.js'

// zod compiles a parser for each object schema (new Function) on its first parse; a process parses its config
// once, so compiling costs more than it saves (imagebot.yaml: 14 ms with it, 10.5 without); webhook payloads are
// small enough that the daemon does not miss it.
z.config({ jitless: true })

export { DEFAULT_AUTHOR, DEFAULT_CI_SKIP } from './schema-repository.js'
export { WEBHOOK_TYPES } from './schema-server.js'
export const DEFAULT_EXCLUDE_TAGS = ['*.sig', '*.att', '*.sbom']

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
