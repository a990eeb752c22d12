// Push for commits whose tree holds a name isomorphic-git refuses (`docs/a\b.md`, `.GIT/`): its push walks
// every tree of the new commit to decide what to send, and refuses the whole push at such an entry. This
// path needs no walk of the unchanged trees: the objects to send are those the bot's commit adds (its tree
// diffed against its parent's, which the server has), packed by isomorphic-git's packObjects and sent in one
// git-receive-pack request (smart HTTP, report-status). Used only when the ordinary push hits that refusal.
import git from 'isomorphic-git'
import http from 'isomorphic-git/http/node'
import { readTreeEntries } from './raw-tree.js'
import type { ObjectCache, RemoteAccess } from './remote.js'
import type { PushOutcome } from './settings.js'
import { syncFs as fs } from './sync-fs.js'

const ZERO = '0'.repeat(40)

export interface AddedObjectsPush {
  dir: string
  access: RemoteAccess
  cache: ObjectCache
  commit: string
  branch: string
}

export async function pushAddedObjects(push: AddedObjectsPush): Promise<PushOutcome> {
  const { dir, access, cache, commit, branch } = push
  const ref = `refs/heads/${branch}`
  const { url } = access.remote
  const refs = await git.listServerRefs({
    http,
    url,
    forPush: true,
    protocolVersion: 1,
    headers: access.headers(),
    prefix: ref,
  })
  const old = refs.find((listed) => listed.ref === ref)?.oid ?? ZERO
  if (old !== ZERO && !(await descendsFrom(dir, cache, commit, old))) {
    return {
      ok: false,
      rejected: true,
      reason: `push to ${branch} rejected (not a fast-forward: the branch moved)`,
    }
  }
  const { packfile } = await git.packObjects({ fs, dir, cache, oids: await addedObjects(dir, cache, commit) })
  const command = `${old} ${commit} ${ref}\0report-status agent=imagebot\n`
  const response = await http.request({
    url: `${url}/git-receive-pack`,
    method: 'POST',
    headers: {
      ...access.headers(),
      'content-type': 'application/x-git-receive-pack-request',
      accept: 'application/x-git-receive-pack-result',
    },
    body: chunks([Buffer.from(`${pktLine(command)}0000`), packfile!]),
  })
  const text = Buffer.concat(await collect(response.body)).toString('utf8')
  if (response.statusCode !== 200) {
    throw Object.assign(new Error(`HTTP Error: ${response.statusCode} ${response.statusMessage}`), {
      code: 'HttpError',
      data: { statusCode: response.statusCode, statusMessage: response.statusMessage, response: text },
    })
  }
  const lines = readPktLines(text)
  const unpack = lines.find((line) => line.startsWith('unpack '))
  if (unpack !== 'unpack ok')
    throw new Error(`the server could not unpack the push: ${unpack ?? text.slice(0, 200)}`)
  if (lines.includes(`ok ${ref}`)) return { ok: true, commit, branch }
  const refused =
    lines.find((line) => line.startsWith(`ng ${ref} `))?.slice(`ng ${ref} `.length) ?? 'rejected'
  return { ok: false, rejected: true, reason: `push to ${branch} rejected by the server (${refused})` }
}

async function descendsFrom(
  dir: string,
  cache: ObjectCache,
  commit: string,
  ancestor: string,
): Promise<boolean> {
  if (commit === ancestor) return true
  try {
    return await git.isDescendent({ fs, dir, cache, oid: commit, ancestor, depth: 100 })
  } catch {
    return false // the server's head is not even known here: it moved
  }
}

/** The commit, and every tree and blob of its tree that its parent's tree does not hold at the same place. */
async function addedObjects(dir: string, cache: ObjectCache, commit: string): Promise<string[]> {
  const { commit: parsed } = await git.readCommit({ fs, dir, oid: commit, cache })
  const parent = parsed.parent[0]
  const parentTree = parent ? (await git.readCommit({ fs, dir, oid: parent, cache })).commit.tree : undefined
  const added = [commit]
  await diffTrees(dir, cache, parsed.tree, parentTree, added)
  return added
}

async function diffTrees(
  dir: string,
  cache: ObjectCache,
  tree: string,
  before: string | undefined,
  added: string[],
): Promise<void> {
  if (tree === before) return
  added.push(tree)
  const old = new Map(before ? (await readTreeEntries(dir, cache, before)).map((e) => [e.path, e]) : [])
  for (const entry of await readTreeEntries(dir, cache, tree)) {
    const previous = old.get(entry.path)
    if (previous?.oid === entry.oid) continue
    if (entry.type === 'tree')
      await diffTrees(dir, cache, entry.oid, previous?.type === 'tree' ? previous.oid : undefined, added)
    else if (entry.type === 'blob') added.push(entry.oid)
  }
}

function pktLine(payload: string): string {
  return `${(Buffer.byteLength(payload) + 4).toString(16).padStart(4, '0')}${payload}`
}

function readPktLines(text: string): string[] {
  const lines: string[] = []
  let at = 0
  while (at + 4 <= text.length) {
    const size = Number.parseInt(text.slice(at, at + 4), 16)
    if (!Number.isFinite(size) || size === 0) {
      at += 4
      continue
    }
    lines.push(text.slice(at + 4, at + size).replace(/\n$/, ''))
    at += size
  }
  return lines
}

async function* chunks(parts: Uint8Array[]): AsyncIterableIterator<Uint8Array> {
  for (const part of parts) yield part
}

async function collect(body: AsyncIterableIterator<Uint8Array> | undefined): Promise<Buffer[]> {
  const chunks: Buffer[] = []
  if (body) for await (const chunk of body) chunks.push(Buffer.from(chunk))
  return chunks
}
