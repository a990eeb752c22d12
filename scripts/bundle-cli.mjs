// The CLI as bin/imagebot.js runs it: src/cli/main.ts and what it imports, bundled by esbuild into one CommonJS
// file, dist/bundle/imagebot.cjs (`npm run build` runs this after tsc, which still emits dist/ for everything else).
//
// Why a bundle: Node 20 resolves, reads and compiles every ES module file on its own, and has no compile
// cache. `imagebot plan` reached ~110 of our files plus ~150 of its libraries' (zod alone is 95 files);
// importing its modules took 310 ms of CPU from tsc's dist/, 248 ms bundling our sources only and 133 ms
// bundling the pure-JS libraries below too (Node 20, 2 cores, load ~3; issue 10 §1).
//
// Why one CommonJS file rather than ES module chunks: Node 20 can reuse V8's compiled code only for a script
// (vm.Script cachedData), never for an ES module, and bin/imagebot.js keeps that code between runs. Each
// command's modules still run only when that command does: esbuild wraps a module reached through a dynamic
// `import()` in a function that runs on first use, and a function V8 never calls is never compiled.
//
// - Only BUNDLED packages are copied in; every other dependency stays a require() of node_modules (native
//   addons, worker-thread transports, packages that read their own files: bullmq, ioredis, pino, fastify,
//   isomorphic-git, openpgp…; re2js, which policies/re2.ts requires on first use), made where the module that
//   imports it first runs; a dependency added later stays external until it is listed here.
// - The demo's servers live in test/support/ (not in the image): imported from tsc's dist/test/support/.
// - Our modules import zod as a namespace (`import * as z`), which lets esbuild drop the parts of zod we do
//   not call (its ~50 translations, JSON Schema output): 825 KB → 234 KB of zod for a config load.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const OUT = join(ROOT, 'dist', 'bundle')
/** Pure JavaScript, no files of their own read at run time, no native code: safe to copy into the bundle. */
const BUNDLED = ['commander', 'diff', 'got', 'js-yaml', 'minimatch', 'semver', 'yaml', 'zod']

const { dependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
const external = Object.keys(dependencies).filter((name) => !BUNDLED.includes(name))

/** test/support/*.ts → the tsc-emitted dist/test/support/*.js, imported at run time from the bundle. */
const testSupportFromDist = {
  name: 'test-support-from-dist',
  setup(builder) {
    builder.onResolve({ filter: /\/test\/support\// }, (args) => {
      const source = join(args.resolveDir, args.path)
      const emitted = join(ROOT, 'dist', relative(ROOT, source))
      return { path: `./${relative(OUT, emitted)}`, external: true }
    })
  },
}

/**
 * got's type checker (@sindresorhus/is, 7.2 and 8.1 alike) builds two Intl.ListFormat objects when it loads, for
 * its assertion messages, which got never shows us: the first Intl object a process makes loads ICU's locale
 * data, 21 ms of every CLI start here. The bundle builds them when first used instead.
 */
const LIST_FORMAT = /new Intl\.ListFormat\((['"])en\1, (\{[^}]*\})\)/g
const listFormatOnFirstUse = {
  name: 'list-format-on-first-use',
  setup(builder) {
    builder.onLoad({ filter: /@sindresorhus[\\/]is[\\/]distribution[\\/]index\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8')
      const lazy = text.replace(LIST_FORMAT, (_, _quote, options) => {
        return `{ format(list) { return (this.made ??= new Intl.ListFormat('en', ${options})).format(list) } }`
      })
      const warnings =
        lazy === text
          ? [{ text: 'no Intl.ListFormat found to defer: check the start-up cost of this file' }]
          : []
      return { contents: lazy, loader: 'js', warnings }
    })
  },
}

/**
 * got loads http2-wrapper (and with it node:http2) when it loads, though it calls it only for its `http2` option,
 * which imagebot never sets: 30 ms of every CLI start here. The bundle holds a stand-in that says so if used.
 */
const withoutHttp2 = {
  name: 'without-http2-wrapper',
  setup(builder) {
    builder.onResolve({ filter: /^http2-wrapper$/ }, () => ({ path: 'http2-wrapper', namespace: 'stand-in' }))
    builder.onLoad({ filter: /.*/, namespace: 'stand-in' }, () => ({
      contents: `const unused = () => { throw new Error("got's http2 option is not supported by imagebot's CLI bundle") }
export default { get auto() { return unused() }, get globalAgent() { return unused() } }`,
      loader: 'js',
    }))
  },
}

const built = await build({
  absWorkingDir: ROOT,
  entryPoints: { imagebot: 'src/cli/main.ts' },
  outdir: OUT,
  bundle: true,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  platform: 'node',
  target: 'node20',
  // import() becomes require(): V8 forgets a script's dynamic-import callback when its code comes from the cache
  // ("A dynamic import callback was not specified"), and Node 20.19+ require()s ES modules (test/support/).
  supported: { 'dynamic-import': false },
  external,
  plugins: [testSupportFromDist, listFormatOnFirstUse, withoutHttp2],
  // Our sources are ES modules: import.meta.url is the bundle's own URL (src/cli/main.ts finds package.json
  // from it, policies/re2.ts requires re2js relative to it).
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  // No __name() wrappers: with keepNames every function made at run time went through a defineProperty call
  // (2,300 sites), 9 ms of a profiled `plan` and 24-55 ms of its wall time in A/B runs. Nothing here tells
  // classes apart by their name: errors carry their own `name` or `code` (got, sshpk, isomorphic-git) or are
  // checked with instanceof (commander's). Only classes whose names collide in the bundle (commander's Option,
  // yaml's Document, ...) show a suffix in a stack trace.
  keepNames: false,
  // Without comments and indentation: 1.9 → 1.3 MB to read and decode at every start; names stay in stack traces.
  minifyWhitespace: true,
  logLevel: 'warning',
  write: false,
})

// Each file is written beside itself and renamed into place: a CLI test running while another test file
// rebuilds (test/support/built-cli.ts) reads either the old bundle or the new one, never half of one. Files of
// earlier builds (the ES module chunks this once was) go after.
mkdirSync(OUT, { recursive: true })
for (const file of built.outputFiles) {
  // A string V8 holds as one byte per character reads and compiles faster: one non-ASCII character (an arrow
  // in a tagged template, which esbuild cannot escape) made reading the bundle cost 26 ms instead of 8.
  const wide = file.contents.findIndex((byte) => byte > 0x7f)
  if (wide >= 0) {
    const text = Buffer.from(file.contents.subarray(Math.max(0, wide - 60), wide + 20)).toString('utf8')
    throw new Error(
      `${file.path}: non-ASCII text near ${JSON.stringify(text)}; write it as an escape or entity`,
    )
  }
  const partial = `${file.path}.${process.pid}.partial`
  writeFileSync(partial, file.contents)
  renameSync(partial, file.path)
}
const current = new Set(built.outputFiles.map((file) => file.path))
for (const name of readdirSync(OUT)) {
  if (!current.has(join(OUT, name)) && !name.endsWith('.partial')) rmSync(join(OUT, name), { force: true })
}
