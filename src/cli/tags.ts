// `imagebot tags <image>`: the tags a policy sees, newest first, and which one it would pick.
import type { Command } from 'commander'
import { PolicyError } from '../../policies/index.js'
import { parsePolicySpec } from '../../policies/spec.js'
import { ImageRefError, parseImageRef } from '../image/reference.js'
import { createClient } from '../run/observer.js'
import { tagsReport } from '../run/tags.js'
import { configFor, UsageError, withErrors } from './config.js'
import { EXIT_OK, EXIT_PROBLEMS, printJson, printTable } from './output.js'

interface TagsFlags {
  config?: string
  policy: string
  json?: boolean
}

export function registerTags(program: Command): void {
  program
    .command('tags')
    .description(
      'list an image repository’s tags, newest first for a policy, and the tag the policy would pick',
    )
    .argument('<image>', 'image reference as written in manifests, e.g. stefanprodan/podinfo:dev-kb9lm91e')
    .option('--config <file>', 'imagebot.yaml, for registry endpoints and credentials')
    .option(
      '--policy <filter>',
      'tag filter, as in the annotation: glob:dev-*, semver:~1.2, regex:^main-',
      'glob:*',
    )
    .option('--json', 'print JSON: {image, policy, pick, reason, tags: [{tag, created, digest}]}')
    .action(
      withErrors(async (imageArg: string, flags: TagsFlags) => {
        const config = await configFor(flags.config)
        const image = parseOrUsage(imageArg)
        const client = createClient(config, { env: process.env })
        let report: Awaited<ReturnType<typeof tagsReport>>
        try {
          report = await tagsReport(client, image, parsePolicySpec(flags.policy), config.scan.excludeTags)
        } catch (error) {
          if (error instanceof PolicyError) throw new UsageError(`--policy: ${error.message}`)
          throw error
        }
        if (flags.json) {
          const { errors, ...json } = report
          printJson(errors.length > 0 ? { ...json, errors } : json)
        } else {
          printTable(
            ['TAG', 'CREATED', 'DIGEST'],
            report.tags.map((tag) => [tag.tag, tag.created ?? '', tag.digest ?? '']),
          )
          process.stdout.write(`\npick: ${report.pick ?? '(none)'}\nreason: ${report.reason}\n`)
          for (const error of report.errors) process.stderr.write(`error: ${error}\n`)
        }
        process.exitCode = report.errors.length > 0 ? EXIT_PROBLEMS : EXIT_OK
      }),
    )
}

function parseOrUsage(text: string) {
  try {
    return parseImageRef(text)
  } catch (error) {
    if (error instanceof ImageRefError) throw new UsageError(error.message)
    throw error
  }
}
