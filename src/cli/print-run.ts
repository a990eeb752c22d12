// How `plan` and `once` print a run: a table of updates per repository, skipped containers, errors on stderr;
// or the whole report as JSON.
import type { ReportedError, RunReport } from '../run/report.js'
import { painter, printJson, printTable } from './output.js'

export function printRun(report: RunReport, json: boolean | undefined): void {
  if (json) {
    printJson(report)
    return
  }
  for (const repository of report.repositories) {
    process.stdout.write(`${repository.url} (${repository.branch})${pushed(repository)}\n`)
    if (repository.updates.length === 0) process.stdout.write('  no updates\n')
    else
      printTable(
        ['  FILE', 'WORKLOAD', 'CONTAINER', 'CURRENT', 'NEXT', 'POLICY'],
        repository.updates.map((u) => [`  ${u.file}`, u.workload, u.container, u.current, u.next, u.policy]),
      )
    for (const skipped of repository.skipped) {
      process.stdout.write(
        `  skipped ${skipped.file} ${skipped.workload} ${skipped.container}: ${skipped.reason}\n`,
      )
    }
    const paint = painter(process.stderr)
    for (const error of repository.errors) {
      const label = error.severity === 'warning' ? paint('warning', 'yellow') : paint('error', 'red')
      process.stderr.write(`  ${label}: ${errorLine(error)}\n`)
    }
  }
}

/** Messages usually begin with their file or image already: name it once. */
/** ` → <commit>` for one push to the branch read; each branch and commit when an automation pushed elsewhere. */
function pushed(repository: RunReport['repositories'][number]): string {
  const pushes = repository.pushes ?? []
  const [only] = pushes
  if (pushes.length === 1 && only?.branch === repository.branch) return ` → ${only.commit}`
  if (pushes.length === 0) return repository.commit ? ` → ${repository.commit}` : ''
  return ` → ${pushes.map((push) => `${push.branch} ${push.commit}`).join(', ')}`
}

function errorLine(error: ReportedError): string {
  const subject = error.file ?? error.image
  return subject === undefined || error.message.includes(subject)
    ? error.message
    : `${subject}: ${error.message}`
}
