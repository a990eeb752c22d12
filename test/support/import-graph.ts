// The modules a TypeScript entry point reaches through its imports, read from the source text: what loads at
// start-up (static imports only) or everything a command may load (dynamic `import('…')` too), and the npm
// packages they name. Used to check what the Docker image must hold and what a command loads.
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'

export interface ImportGraph {
  files: Set<string>
  packages: Set<string>
}

// `import type` and `export type` are erased by the compiler: they load nothing.
const STATIC = /^\s*(?:import|export)\s(?!type\s)[^'"]*?from\s*'([^']+)'|^\s*import\s*'([^']+)'/gm
const DYNAMIC = /\bimport\(\s*'([^']+)'\s*\)/g

export async function importGraph(
  entry: string,
  options: { dynamic?: boolean; skip?: (file: string) => boolean } = {},
): Promise<ImportGraph> {
  const files = new Set<string>()
  const packages = new Set<string>()
  const pending = [entry]
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (files.has(file) || options.skip?.(file)) continue
    files.add(file)
    const text = await readFile(file, 'utf8')
    const specifiers = [...text.matchAll(STATIC)].map(([, from, bare]) => (from ?? bare) as string)
    if (options.dynamic) specifiers.push(...[...text.matchAll(DYNAMIC)].map(([, named]) => named as string))
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) pending.push(resolve(dirname(file), specifier).replace(/\.js$/, '.ts'))
      else if (!specifier.startsWith('node:'))
        packages.add(specifier.match(/^(@[^/]+\/)?[^/]+/)?.[0] ?? specifier)
    }
  }
  return { files, packages }
}
