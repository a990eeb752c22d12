// The CLI as bin/imagebot.js runs it: src/cli/main.ts and what it imports, bundled by esbuild into
// dist/bundle/ (`npm run build` runs this after tsc, which still emits dist/ for everything else).
//
// Why a bundle: Node 20 resolves, reads and compiles every ES module file on its own, and has no compile
// cache. `imagebot plan` reached ~110 of our files plus ~150 of its libraries' (zod alone is 95 files);
// importing its modules took 310 ms of CPU from tsc's dist/, 248 ms bundling our sources only and 133 ms
// bundling the pure-JS libraries below too (Node 20, 2 cores, load ~3; issue 10 §1).
//
// - Code splitting keeps each command's module (and its libraries) in a chunk of its own that loads only
//   when that command runs, as src/cli/commands.ts intends; chunks share what several commands use.
// - Only BUNDLED packages are copied in; every other dependency stays an import of node_modules (native
//   addons, worker-thread transports, packages that read their own files: bullmq, ioredis, pino, fastify,
//   isomorphic-git, openpgp…; re2js, which policies/re2.ts requires on first use), and a dependency added
//   later stays external until it is listed here.
// - The demo's servers live in test/support/ (not in the image): imported from tsc's dist/test/support/.
// - Our modules import zod as a namespace (`import * as z`), which lets esbuild drop the parts of zod we do
//   not call (its ~50 translations, JSON Schema output): 825 KB → 234 KB for the chunk a config load needs.
import { readdirSync, readFileSync, rmSync } from 'node:fs'
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

const built = await build({
  absWorkingDir: ROOT,
  entryPoints: { imagebot: 'src/cli/main.ts' },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  plugins: [testSupportFromDist],
  chunkNames: '[name]-[hash]',
  // CommonJS libraries (yaml, semver, commander) call require() for Node's modules; an ES module has none.
  banner: {
    js: "import { createRequire as __imagebotRequire } from 'node:module'; const require = __imagebotRequire(import.meta.url);",
  },
  // Error classes are told apart by name in places (error.name, instanceof across chunks is kept anyway).
  keepNames: true,
  logLevel: 'warning',
  metafile: true,
})

// Chunks of earlier builds go only after the new ones are written: a CLI test running while another test
// file rebuilds (test/support/built-cli.ts) never finds its bundle half gone.
const current = new Set(Object.keys(built.metafile.outputs).map((path) => join(ROOT, path)))
for (const name of readdirSync(OUT)) {
  if (!current.has(join(OUT, name))) rmSync(join(OUT, name), { force: true })
}
