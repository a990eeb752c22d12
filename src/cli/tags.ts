// `imagebot tags <image>`: the tags a policy sees, newest first, and which one it would pick.
import { counts } from '../../policies/explain.js'
import { PolicyError } from '../../policies/index.js'
import { parsePolicySpec } from '../../policies/spec.js'
import { ImageRefError, parseImageRef } from '../image/reference.js'
import { createClient } from '../run/observer.js'
import { tagsReport } from '../run/tags.js'
import { configFor } from './config.js'
import { UsageError } from './failure.js'
import { EXIT_OK, EXIT_PROBLEMS, printJson, printTable } from './output.js'

interface TagsFlags {
  config?: string
  policy: string
  json?: boolean
}

export async function run([imageArg]: (string | undefined)[], flags: TagsFlags): Promise<void> {
  const config = await configFor(flags.config)
  const image = parseOrUsage(imageArg ?? '')
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
    if (report.tags.length > 0)
      printTable(
        ['TAG', 'CREATED', 'DIGEST'],
        report.tags.map((tag) => [tag.tag, tag.created ?? '', tag.digest ?? '']),
      )
    process.stdout.write(
      `${report.tags.length > 0 ? '\n' : ''}${counts(report.candidates, report.tagsSeen)}\npick: ${report.pick ?? '(none)'}\nreason: ${report.reason}\n`,
    )
    for (const error of report.errors) process.stderr.write(`error: ${error}\n`)
  }
  process.exitCode = report.errors.length > 0 ? EXIT_PROBLEMS : EXIT_OK
}

function parseOrUsage(text: string) {
  try {
    return parseImageRef(text)
  } catch (error) {
    if (error instanceof ImageRefError) throw new UsageError(error.message)
    throw error
  }
}
