#!/usr/bin/env node
// The CLI runs the bundle dist/bundle/imagebot.cjs (`npm run build`: tsc, then scripts/bundle-cli.mjs; `npm ci`
// runs it through `prepare`). During development, `npm run imagebot -- <command>` runs the TypeScript sources
// through tsx instead.
//
// The bundle is compiled through vm.Script with V8's code cache, kept per command in the user's cache
// directory: compiling it cost `imagebot plan` about 60 ms of its ~600 ms on these machines, and a run that
// finds its cache skips that. Node 20 has no compile cache of its own (module.enableCompileCache came in 22),
// and v8-compile-cache, the library for this, writes no cache on Node 20 (it relies on produceCachedData,
// which no longer yields one). IMAGEBOT_COMPILE_CACHE=off turns this off; a directory there moves it.
// The cache is only ever an optimisation: if it cannot be read or written, the bundle compiles as usual.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire, Module } from 'node:module'
import { homedir, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Script } from 'node:vm'

const bundle = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bundle', 'imagebot.cjs')

let source
try {
  source = readFileSync(bundle, 'utf8')
} catch (error) {
  if (error?.code !== 'ENOENT') throw error
  process.stderr.write('imagebot: dist/ is missing: run  npm run build  (npm ci runs it too)\n')
  process.exit(1)
}

const cache = cacheFile()
let cachedData
if (cache) {
  try {
    cachedData = readFileSync(cache.path)
  } catch {}
}
const script = new Script(Module.wrap(source), {
  filename: bundle,
  cachedData,
})
// Written once the command has run, so the cache holds the functions it compiled, not only the top level.
if (cache && (cachedData === undefined || script.cachedDataRejected)) process.once('exit', () => save(cache))

const module = new Module(bundle)
module.filename = bundle
script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle))

/** One file per command (each compiles other functions), named for this bundle build and this Node. */
function cacheFile() {
  const setting = process.env.IMAGEBOT_COMPILE_CACHE
  if (setting === 'off' || setting === '0') return undefined
  let stamp
  try {
    const { size, mtimeMs } = statSync(bundle)
    stamp = `${size}-${Math.round(mtimeMs)}-${process.version}-${process.arch}`
  } catch {
    return undefined
  }
  const dir = setting || join(process.env.XDG_CACHE_HOME || join(homedir() || tmpdir(), '.cache'), 'imagebot')
  const command = /^[a-z][a-z-]{0,20}$/.test(process.argv[2] ?? '') ? process.argv[2] : 'other'
  return { dir, stamp, path: join(dir, `compiled-${stamp}-${command}.bin`) }
}

function save({ dir, stamp, path }) {
  try {
    mkdirSync(dir, { recursive: true })
    const partial = `${path}.${process.pid}.partial`
    writeFileSync(partial, script.createCachedData())
    renameSync(partial, path)
    // Caches of earlier builds are never read again.
    for (const name of readdirSync(dir)) {
      if (name.startsWith('compiled-') && !name.includes(stamp)) rmSync(join(dir, name), { force: true })
    }
  } catch {}
}
