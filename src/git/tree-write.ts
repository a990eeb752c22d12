// The low-level commit: new blobs for changed files, new trees only along the changed paths (loose-objects.ts),
// one commit object (isomorphic-git, which also signs).
// Every other entry (and its mode) is carried over by oid, so nothing else in the repository can change.

import git from 'isomorphic-git'
import { GitError } from './errors.js'
import { objectId, type TreeLine, treeContent, writeLooseObject } from './loose-objects.js'
import { parseTree, readTreeEntries, rememberTree } from './raw-tree.js'
import type { ObjectCache } from './remote.js'
import type { Author } from './settings.js'
import type { CommitSigner } from './signing.js'
import { syncFs as fs } from './sync-fs.js'

interface TreeEdit {
  dir: string
  cache: ObjectCache
  url: string
}

/** Path → new bytes, nested by directory. */
interface EditTree {
  files: Map<string, Uint8Array>
  dirs: Map<string, EditTree>
}

/** Returns the new commit's oid, or null when the files already hold this content (no empty commits). */
export async function writeFilesCommit(
  ctx: TreeEdit,
  parent: string,
  files: Map<string, string>,
  author: Author,
  message: string,
  signer?: CommitSigner,
): Promise<string | null> {
  checkAuthor(author, ctx.url)
  const edits = nestEdits(files, ctx.url)
  const { commit } = await git.readCommit({ fs, dir: ctx.dir, oid: parent, cache: ctx.cache })
  const tree = await rewriteTree(ctx, commit.tree, edits, '')
  if (tree === commit.tree) return null
  const person = {
    name: author.name,
    email: author.email,
    timestamp: Math.floor(Date.now() / 1000),
    timezoneOffset: 0,
  }
  if (signer === undefined) {
    return git.writeCommit({
      fs,
      dir: ctx.dir,
      commit: { message: endWithNewline(message), tree, parent: [parent], author: person, committer: person },
    })
  }
  // git.commit with an explicit tree and parent writes just the commit object (the index is not used for it),
  // and it is the isomorphic-git call that signs: onSign gets the exact payload.
  return git.commit({
    fs,
    dir: ctx.dir,
    cache: ctx.cache,
    message: endWithNewline(message),
    tree,
    parent: [parent],
    author: person,
    committer: person,
    noUpdateBranch: true,
    signingKey: signer.keyId,
    onSign: async ({ payload }) => ({ signature: await signer.sign(payload) }),
  })
}

async function rewriteTree(ctx: TreeEdit, treeOid: string | undefined, edits: EditTree, base: string) {
  // Raw entries: names isomorphic-git refuses (`a\b.md`) are carried over as they are.
  const entries: TreeLine[] = treeOid
    ? (await readTreeEntries(ctx.dir, ctx.cache, treeOid)).map(({ mode, path, oid, type }) => ({
        mode,
        path,
        oid,
        type,
      }))
    : []
  const byName = new Map(entries.map((entry) => [entry.path, entry]))
  let changed = false
  for (const [name, bytes] of edits.files) {
    const existing = byName.get(name)
    const path = join(base, name)
    if (existing && (existing.type !== 'blob' || existing.mode === '120000'))
      throw notAFile(ctx, path, existing)
    const oid = objectId('blob', bytes)
    if (existing?.oid === oid) continue
    await writeLooseObject(ctx.dir, 'blob', bytes)
    byName.set(name, { mode: existing?.mode ?? '100644', path: name, oid, type: 'blob' })
    changed = true
  }
  for (const [name, sub] of edits.dirs) {
    const existing = byName.get(name)
    const path = join(base, name)
    if (existing && existing.type !== 'tree') throw notAFile(ctx, path, existing)
    const oid = await rewriteTree(ctx, existing?.oid, sub, path)
    if (oid === existing?.oid) continue
    byName.set(name, { mode: '040000', path: name, oid, type: 'tree' })
    changed = true
  }
  if (!changed && treeOid) return treeOid
  const content = treeContent([...byName.values()])
  const oid = await writeLooseObject(ctx.dir, 'tree', content)
  rememberTree(oid, parseTree(content))
  return oid
}

function nestEdits(files: Map<string, string>, url: string): EditTree {
  const root: EditTree = { files: new Map(), dirs: new Map() }
  for (const [path, text] of files) {
    const segments = checkPath(path, url)
    let node = root
    for (const segment of segments.slice(0, -1)) {
      let next = node.dirs.get(segment)
      if (!next) {
        next = { files: new Map(), dirs: new Map() }
        node.dirs.set(segment, next)
      }
      node = next
    }
    node.files.set(segments.at(-1)!, Buffer.from(text, 'utf8'))
  }
  return root
}

function checkPath(path: string, url: string): string[] {
  const segments = path.split('/')
  const bad = segments.some(
    (segment) => segment === '' || segment === '.' || segment === '..' || segment.toLowerCase() === '.git',
  )
  if (bad || path.includes('\0') || path.includes('\\')) {
    throw new GitError(
      'config',
      `refusing to write "${path}" in ${url}: use a relative path with forward slashes`,
      {
        transient: false,
        url,
      },
    )
  }
  return segments
}

function checkAuthor(author: Author, url: string): void {
  const bad = (value: string) => value.trim() === '' || /[<>\n\r\0]/.test(value)
  if (bad(author.name) || bad(author.email)) {
    throw new GitError('config', `invalid commit author "${author.name} <${author.email}>" for ${url}`, {
      transient: false,
      url,
    })
  }
}

function notAFile(ctx: TreeEdit, path: string, entry: TreeLine): GitError {
  const kinds: Record<string, string> = { tree: 'a directory', commit: 'a submodule', blob: 'a file' }
  const kind = entry.mode === '120000' ? 'a symlink' : (kinds[entry.type] ?? entry.type)
  return new GitError(
    'config',
    `refusing to write "${path}" in ${ctx.url}: it is ${kind} in the repository`,
    {
      transient: false,
      url: ctx.url,
    },
  )
}

function join(base: string, name: string): string {
  return base ? `${base}/${name}` : name
}

function endWithNewline(message: string): string {
  return `${message.replace(/\s+$/, '')}\n`
}
