// For tests of what a command loads: `node --import ./record-loads.mjs bin/imagebot.js …` appends the URL of
// every ES module loaded from node_modules to the file named by IMAGEBOT_RECORD_LOADS. The same file is the
// hooks module (module.register runs it again on the loader thread, where it only records).
import { appendFileSync } from 'node:fs'
import { register } from 'node:module'
import { isMainThread } from 'node:worker_threads'

if (isMainThread && process.env.IMAGEBOT_RECORD_LOADS)
  register(import.meta.url, { data: process.env.IMAGEBOT_RECORD_LOADS })

let recordTo

export function initialize(file) {
  recordTo = file
}

export async function load(url, context, next) {
  if (recordTo && url.includes('/node_modules/')) appendFileSync(recordTo, `${url}\n`)
  return next(url, context)
}
