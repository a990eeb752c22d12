// The file system client handed to isomorphic-git. It reads objects one small file operation at a time (a loose
// object probe, a pack directory listing, ...); through node's thread pool each costs a queue round trip, and
// every missing loose object costs a full system error with a stack trace. Reading a 5,000-file tree took
// seconds that way. The state dir is local disk, so synchronous calls finish in microseconds; isomorphic-git
// still sees a promise API. Directory listings are cached until the next write through this client (all writes
// to the state dir go through it), which saves one readdir of objects/pack per object read.
import fs from 'node:fs'

type Args<F> = F extends (...args: infer A) => unknown ? A : never

const listings = new Map<string, unknown>()

/** Any change to the state dir may add or remove entries: forget every cached listing. */
function mutating<A extends unknown[], R>(operation: (...args: A) => R): (...args: A) => Promise<R> {
  return async (...args: A) => {
    listings.clear()
    return operation(...args)
  }
}

/** A stack-less ENOENT: isomorphic-git probes for missing files constantly and only looks at the code. */
function missing(path: unknown): NodeJS.ErrnoException {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  const error: NodeJS.ErrnoException = new Error(`ENOENT: no such file or directory, open '${String(path)}'`)
  Error.stackTraceLimit = limit
  error.code = 'ENOENT'
  return error
}

export const syncFs = {
  promises: {
    readFile: async (...args: Args<typeof fs.readFileSync>) => {
      // isomorphic-git calls readFile() without a path to detect a promise API, and most of its probes are for
      // loose objects that do not exist; answer both without a system error.
      if (typeof args[0] !== 'string' || !fs.existsSync(args[0])) throw missing(args[0])
      return fs.readFileSync(...args)
    },
    readdir: async (...args: Args<typeof fs.readdirSync>) => {
      const key = `${String(args[0])}\0${JSON.stringify(args[1] ?? null)}`
      if (!listings.has(key)) listings.set(key, fs.readdirSync(...args))
      return listings.get(key) as ReturnType<typeof fs.readdirSync>
    },
    stat: async (...args: Args<typeof fs.statSync>) => fs.statSync(...args),
    lstat: async (...args: Args<typeof fs.lstatSync>) => fs.lstatSync(...args),
    readlink: async (...args: Args<typeof fs.readlinkSync>) => fs.readlinkSync(...args),
    writeFile: mutating((...args: Args<typeof fs.writeFileSync>) => fs.writeFileSync(...args)),
    mkdir: mutating((...args: Args<typeof fs.mkdirSync>) => fs.mkdirSync(...args)),
    rmdir: mutating((...args: Args<typeof fs.rmdirSync>) => fs.rmdirSync(...args)),
    rm: mutating((...args: Args<typeof fs.rmSync>) => fs.rmSync(...args)),
    unlink: mutating((...args: Args<typeof fs.unlinkSync>) => fs.unlinkSync(...args)),
    symlink: mutating((...args: Args<typeof fs.symlinkSync>) => fs.symlinkSync(...args)),
    chmod: mutating((...args: Args<typeof fs.chmodSync>) => fs.chmodSync(...args)),
    rename: mutating((...args: Args<typeof fs.renameSync>) => fs.renameSync(...args)),
  },
}
