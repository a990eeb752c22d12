#!/usr/bin/env node
// The CLI runs the bundle in dist/bundle/ (`npm run build`: tsc, then scripts/bundle-cli.mjs; `npm ci` runs it
// through `prepare`). During development, `npm run imagebot -- <command>` runs the TypeScript sources through
// tsx instead.
try {
  await import('../dist/bundle/imagebot.js')
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/bundle/imagebot.js'))
    throw error
  process.stderr.write('imagebot: dist/ is missing: run  npm run build  (npm ci runs it too)\n')
  process.exitCode = 1
}
