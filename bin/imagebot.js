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
//
// This file is CommonJS (bin/package.json says so): an ES module entry costs Node's ESM loader, about 12 ms of
// every start here. The bundle is read as latin1, which for its bytes is the same text (the build refuses a
// non-ASCII bundle) and skips UTF-8 decoding: 4 ms instead of 16-18 ms for its 1.3 MB, measured.
'use strict'
const {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} = require('node:fs')
const { createRequire, Module } = require('node:module')
const { homedir, tmpdir } = require('node:os')
const { dirname, join } = require('node:path')
const { Script } = require('node:vm')

const bundle = join(__dirname, '..', 'dist', 'bundle', 'imagebot.cjs')

let source
try {
  source = readFileSync(bundle, 'latin1')
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

const bundleModule = new Module(bundle)
bundleModule.filename = bundle
script.runInThisContext()(bundleModule.exports, createRequire(bundle), bundleModule, bundle, dirname(bundle))

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
