// The CLI as users run it: bin/imagebot.js runs the bundle dist/bundle/imagebot.cjs (`npm run build`: tsc emits dist/,
// scripts/bundle-cli.mjs bundles the CLI). `npm test` builds first (pretest); a test file run alone
// (npx vitest run test/cli.test.ts) rebuilds here when a source or the bundler script is newer than the
// bundle, so it never tests stale JavaScript.
import { execFile, execFileSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

export const ROOT = join(import.meta.dirname, '..', '..')
export const BIN = join(ROOT, 'bin', 'imagebot.js')
const BUILT = join(ROOT, 'dist', 'bundle', 'imagebot.cjs')
const SOURCES = ['src', 'policies', 'workers', 'test/support']
const BUNDLER = join(ROOT, 'scripts', 'bundle-cli.mjs')

export function ensureBuilt(): void {
  const built = mtime(BUILT)
  const fresh =
    built !== undefined &&
    (mtime(BUNDLER) ?? 0) <= built &&
    SOURCES.every((dir) => newestSource(join(ROOT, dir)) <= built)
  if (fresh) return
  // What `npm run build` runs, without npm's start-up.
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' })
  execFileSync(process.execPath, [BUNDLER], { cwd: ROOT, stdio: 'inherit' })
}

function mtime(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs
  } catch {
    return undefined
  }
}

function newestSource(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, mtime(join(entry.parentPath, entry.name)) ?? 0)
  }
  return newest
}

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs `node bin/imagebot.js …` with NO_COLOR, as a script would; never throws for a non-zero exit. */
export function imagebot(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1', ...options.env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolve({ code, stdout, stderr })
      },
    )
  })
}
