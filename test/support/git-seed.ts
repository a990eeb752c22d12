// Building git fast-import streams (one process seeds thousands of files in well under a second) and parsing the
// git CLI's log / ls-tree output for assertions.

/** A file to seed: text (mode 100644), or bytes, an executable, a symlink or a submodule (gitlink) entry. */
export type SeedFile =
  | string
  | { text?: string; bytes?: Uint8Array; executable?: boolean }
  | { symlinkTo: string }
  | { submodule: string }

/** Path → content; null deletes the path. */
export type SeedFiles = Record<string, SeedFile | null>

export interface FastImportCommit {
  ref: string
  files: SeedFiles
  message: string
  author: { name: string; email: string }
  /** Parent commit; absent for a root commit unless `fromRef` continues the ref's current head. */
  parent?: string | undefined
  /** Continue from the ref's head at import time (used by hooks, where the head is unknown in advance). */
  fromRef?: boolean
}

const FIXED_DATE = '1700000000 +0000'

export function fastImportStream(commit: FastImportCommit): Buffer {
  const person = `${commit.author.name} <${commit.author.email}> ${FIXED_DATE}`
  const parts: Buffer[] = [
    text(`commit ${commit.ref}\nauthor ${person}\ncommitter ${person}\n`),
    data(Buffer.from(commit.message, 'utf8')),
  ]
  if (commit.parent) parts.push(text(`from ${commit.parent}\n`))
  else if (commit.fromRef) parts.push(text(`from ${commit.ref}^0\n`))
  for (const [path, file] of Object.entries(commit.files)) parts.push(...fileCommand(checkPath(path), file))
  parts.push(text('\n'))
  return Buffer.concat(parts)
}

function fileCommand(path: string, file: SeedFile | null): Buffer[] {
  if (file === null) return [text(`D ${path}\n`)]
  if (typeof file === 'string') return inline('100644', path, Buffer.from(file, 'utf8'))
  if ('symlinkTo' in file) return inline('120000', path, Buffer.from(file.symlinkTo, 'utf8'))
  if ('submodule' in file) return [text(`M 160000 ${file.submodule} ${path}\n`)]
  const bytes = file.bytes ? Buffer.from(file.bytes) : Buffer.from(file.text ?? '', 'utf8')
  return inline(file.executable ? '100755' : '100644', path, bytes)
}

function inline(mode: string, path: string, bytes: Buffer): Buffer[] {
  return [text(`M ${mode} inline ${path}\n`), data(bytes)]
}

function data(bytes: Buffer): Buffer {
  return Buffer.concat([text(`data ${bytes.length}\n`), bytes, text('\n')])
}

function text(value: string): Buffer {
  return Buffer.from(value, 'utf8')
}

function checkPath(path: string): string {
  if (!path || path.startsWith('"') || /[\n\\]/.test(path)) throw new Error(`unsupported seed path "${path}"`)
  return path
}

export interface LogEntry {
  oid: string
  parents: string[]
  authorName: string
  authorEmail: string
  committerName: string
  committerEmail: string
  /** The full message: subject, body and trailers. */
  message: string
  subject: string
}

/** Parses `git log --format=%H%x00%P%x00%an%x00%ae%x00%cn%x00%ce%x00%B%x1e`. */
export function parseLog(output: string): LogEntry[] {
  return output
    .split('\x1e')
    .map((record) => record.replace(/^\n/, ''))
    .filter((record) => record.length > 0)
    .map((record) => {
      const [
        oid = '',
        parents = '',
        authorName = '',
        authorEmail = '',
        committerName = '',
        committerEmail = '',
        message = '',
      ] = record.split('\x00')
      const subject = message.split('\n')[0] ?? ''
      return {
        oid,
        parents: parents ? parents.split(' ') : [],
        authorName,
        authorEmail,
        committerName,
        committerEmail,
        message,
        subject,
      }
    })
}

export interface TreeEntry {
  mode: string
  type: string
  oid: string
  path: string
}

/** Parses `git ls-tree -r -z`. */
export function parseLsTree(output: string): TreeEntry[] {
  return output
    .split('\x00')
    .filter((line) => line.length > 0)
    .map((line) => {
      const tab = line.indexOf('\t')
      const [mode = '', type = '', oid = ''] = line.slice(0, tab).split(' ')
      return { mode, type, oid, path: line.slice(tab + 1) }
    })
}
