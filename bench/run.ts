// `npm run bench`: runs every benchmark module and prints each figure next to the bound its issue sets.
// Usage: npm run bench [-- name ...] to run only some: cli, core, daemon, flux2, git, hostile-clients, page, pipeline,
// registry, schedule (the bench/*.bench.ts files).
import { readdirSync } from 'node:fs'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { type Bench, type BenchFigure, formatNumber } from './figure.js'

const benchDir = fileURLToPath(new URL('.', import.meta.url))
const only = process.argv.slice(2)
const modules = readdirSync(benchDir)
  .filter((name) => name.endsWith('.bench.ts'))
  .map((name) => name.replace(/\.bench\.ts$/, ''))
  .filter((name) => only.length === 0 || only.includes(name))
  .sort()

function formatValue(figure: BenchFigure): string {
  return `${formatNumber(figure.value)} ${figure.unit}`
}

/** The 1-minute load average, as `uptime` shows it. */
function loadNow(): string {
  return (loadavg()[0] ?? 0).toFixed(2)
}

let failed = 0
for (const name of modules) {
  const mod = (await import(`./${name}.bench.ts`)) as { run: Bench }
  // The machines are shared: the load each module ran at is part of its figures.
  console.log(`\n== ${name} (load ${loadNow()} at start)`)
  try {
    for (const figure of await mod.run()) {
      const verdict = figure.ok === undefined ? '' : figure.ok ? 'ok' : 'OVER BOUND'
      if (figure.ok === false) failed++
      console.log(
        `  ${figure.name.padEnd(62)} ${formatValue(figure).padStart(14)}   ${(figure.bound ?? '').padEnd(12)} ${verdict}`,
      )
    }
  } catch (error) {
    failed++
    console.log(`  failed: ${error instanceof Error ? error.stack : String(error)}`)
  }
  console.log(`  (load ${loadNow()} at the end)`)
}
console.log(failed === 0 ? '\nall figures within their bounds' : `\n${failed} figure(s) over bound or failed`)
process.exitCode = failed === 0 ? 0 : 1
