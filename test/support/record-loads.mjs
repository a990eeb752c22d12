// For tests of what a command loads: `node --import ./record-loads.mjs bin/imagebot.js …` appends the path or URL
// of every module loaded from node_modules to the file named by IMAGEBOT_RECORD_LOADS: ES modules as the loader
// hook sees them, CommonJS modules (the bundle require()s its external libraries) from require's cache at exit.
// The same file is the hooks module (module.register runs it again on the loader thread, where it only records).
import { appendFileSync } from 'node:fs'
import { createRequire, register } from 'node:module'
import { isMainThread } from 'node:worker_threads'

const recordFile = process.env.IMAGEBOT_RECORD_LOADS
if (isMainThread && recordFile) {
  register(import.meta.url, { data: recordFile })
  const required = createRequire(import.meta.url).cache
  process.once('exit', () => {
    const loaded = Object.keys(required).filter((path) => path.includes('/node_modules/'))
    if (loaded.length > 0) appendFileSync(recordFile, `${loaded.join('\n')}\n`)
  })
}

let recordTo

export function initialize(file) {
  recordTo = file
}

export async function load(url, context, next) {
  if (recordTo && url.includes('/node_modules/')) appendFileSync(recordTo, `${url}\n`)
  return next(url, context)
}
