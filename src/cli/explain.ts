// `plan --explain` and `plan --diff`: the decision behind every automated container, grouped by file and
// workload under a heading, wrapped to fit 100 columns; and the unified diff of each changed file, coloured on
// a terminal.
import { createPatch } from 'diff'
import type { Explanation, Plan } from '../run/plan.js'
import { painter } from './output.js'

const WIDTH = 100
const INDENT = '    '

export function printExplanations(explanations: Explanation[]): void {
  const paint = painter()
  const out: string[] = ['', paint('Decisions', 'bold')]
  const byFile = groupBy(explanations, (e) => e.file)
  for (const [file, inFile] of byFile) {
    out.push('', paint(file, 'bold'))
    for (const [workload, inWorkload] of groupBy(inFile, (e) => e.workload)) {
      out.push(`  ${paint(workload, 'cyan')}`)
      for (const e of inWorkload) {
        const move = e.next === undefined ? e.current : `${e.current} → ${e.next}`
        out.push(`    ${e.container} [${e.policy}] ${paint(move, e.next === undefined ? 'dim' : 'green')}`)
        out.push(...wrap(e.reason, WIDTH - INDENT.length - 2).map((line) => `${INDENT}  ${line}`))
      }
    }
  }
  process.stdout.write(`${out.join('\n')}\n`)
}

export function printDiffs(plans: Plan[]): void {
  const paint = painter()
  for (const plan of plans) {
    for (const [file, update] of plan.result.files) {
      const patch = createPatch(file, plan.originals.get(file) ?? '', update.text, '', '', { context: 3 })
      process.stdout.write(
        patch
          .split('\n')
          .map((line) => {
            if (line.startsWith('+++') || line.startsWith('---')) return paint(line, 'bold')
            if (line.startsWith('+')) return paint(line, 'green')
            if (line.startsWith('-')) return paint(line, 'red')
            if (line.startsWith('@@')) return paint(line, 'cyan')
            return line
          })
          .join('\n'),
      )
    }
  }
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of [...items].sort((a, b) => key(a).localeCompare(key(b)))) {
    const group = groups.get(key(item)) ?? groups.set(key(item), []).get(key(item))!
    group.push(item)
  }
  return groups
}

/** Breaks text at spaces so no line is longer than `width` (a longer single word stays whole). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines
}
