// `imagebot images`: fluxctl list-images from the config repo and the registries.
import { resolve } from 'node:path'
import type { ImagebotConfig } from '../config/index.js'
import { readConfigDir } from '../manifests/index.js'
import { type ImagesReport, type ListedImage, listImages } from '../run/images-verb.js'
import { createClient, runObserver } from '../run/observer.js'
import { openCheckout, repositorySettings } from '../run/once.js'
import type { Observer } from '../run/plan.js'
import { readHead } from '../run/repository.js'
import { chooseRepository, VerbError } from '../run/steer.js'
import { normalizeWorkloadId } from '../run/workload-find.js'
import { configFor } from './config.js'
import { UsageError } from './failure.js'
import { EXIT_OK, EXIT_PROBLEMS, printJson, printTable } from './output.js'
import { checkArguments } from './steer-run.js'

interface ImagesFlags {
  config?: string
  repo?: string
  workload?: string
  limit: string
  json?: boolean
}

export async function run([dir]: (string | undefined)[], flags: ImagesFlags): Promise<void> {
  if (!dir && !flags.config) throw new UsageError('give a directory, or --config imagebot.yaml')
  const limit = Number(flags.limit)
  if (!Number.isInteger(limit) || limit < 0)
    throw new UsageError(`--limit ${flags.limit}: expected a whole number ≥ 0`)
  const workload =
    flags.workload === undefined ? undefined : checkArguments(() => normalizeWorkloadId(flags.workload!))
  const config = await configFor(flags.config, dir)
  const observer = runObserver(createClient(config, { env: process.env }), config.scan.concurrency)
  const options = { limit, ...(workload !== undefined && { workload }) }
  let source: string
  let report: ImagesReport
  try {
    if (dir) {
      const read = await readConfigDir(dir)
      report = await listImages(read.files, observer, { ...scanOptions(config), ...options })
      report.errors.unshift(...read.problems)
      source = resolve(dir)
    } else {
      const repository = checkArguments(() => chooseRepository(config, flags.repo))
      report = await listRepository(config, repository, observer, options)
      source = `${repository.url} (${repository.branch})`
    }
  } catch (error) {
    if (error instanceof VerbError) throw new UsageError(error.message)
    throw error
  }
  if (flags.json) printJson({ source, ...report, errors: report.errors.map((e) => e.message) })
  else printImages(report)
  process.exitCode = report.errors.length > 0 ? EXIT_PROBLEMS : EXIT_OK
}

async function listRepository(
  config: ImagebotConfig,
  repository: ImagebotConfig['repositories'][number],
  observer: Observer,
  options: { limit: number; workload?: string },
): Promise<ImagesReport> {
  const settings = repositorySettings(config, repository)
  const checkout = await openCheckout(config, repository)
  const { files, problems } = await readHead(checkout, settings)
  const report = await listImages(files, observer, { ...settings, ...options })
  report.errors.unshift(...problems)
  return report
}

function scanOptions(config: ImagebotConfig) {
  return {
    excludeTags: config.scan.excludeTags,
    ...(config.scan.includeImages && { includeImages: config.scan.includeImages }),
    ...(config.scan.excludeImages && { excludeImages: config.scan.excludeImages }),
  }
}

/** fluxctl's layout: one line per container, then its candidates; `'->` marks the current tag, `*` the pick. */
function printImages(report: ImagesReport): void {
  const rows: string[][] = []
  for (const image of report.images) {
    rows.push([image.workload, image.container, `${image.image} [${image.policy}]`, ''])
    rows.push(...candidateRows(image))
  }
  printTable(['WORKLOAD', 'CONTAINER', 'IMAGE', 'CREATED'], rows)
  process.stdout.write("\n'-> current tag   * the tag the policy picks\n")
  for (const skipped of report.skipped) {
    process.stdout.write(
      `skipped ${skipped.file} ${skipped.workload} ${skipped.container}: ${skipped.reason}\n`,
    )
  }
  for (const error of report.errors) process.stderr.write(`error: ${error.message}\n`)
}

function candidateRows(image: ListedImage): string[][] {
  const rows: string[][] = []
  let passedCurrent = false
  for (const { tag, created } of image.candidates) {
    const isCurrent = tag === image.current
    const marker = isCurrent ? "'->" : passedCurrent ? '   ' : '|  '
    passedCurrent ||= isCurrent
    rows.push(['', '', `${marker} ${tag}${tag === image.pick ? ' *' : ''}`, created ?? ''])
  }
  if (image.omitted > 0) rows.push(['', '', `:   (${image.omitted} more)`, ''])
  if (!passedCurrent)
    rows.push([
      '',
      '',
      `'-> ${image.current ?? '(untagged)'}${image.current === image.pick ? ' *' : ''}`,
      '?',
    ])
  if (image.pick === null) rows.push(['', '', `    ${image.reason}`, ''])
  return rows
}
