// A push of the objects the bot's commits add (each tree diffed against its parent's, down to what the server
// has), packed by pack-write.ts and sent in one git-receive-pack request (smart HTTP, report-status). Two uses:
// - When the server's head is known (this checkout synced or pushed it) and the commit builds on it by first
//   parents, the request goes without isomorphic-git's ref discovery first. The server's compare-and-swap of the ref is
//   the check that the branch did not move: a moved branch is an `ng` answer, reported as rejected, never a
//   forced update. Measured in `npm run bench -- pipeline`: the discovery is a second git http-backend CGI
//   run, 40-90 ms of the push with one core busy.
// - For commits whose tree holds a name isomorphic-git refuses (`docs/a\b.md`, `.GIT/`): its push walks
//   every tree of the new commit to decide what to send, and refuses the whole push at such an entry.
import git from 'isomorphic-git'
import http from 'isomorphic-git/http/node'
import { readLooseObject } from './loose-objects.js'
import { type PackedObject, type PackedType, packfile } from './pack-write.js'
import { readTreeEntries } from './raw-tree.js'
import type { ObjectCache, RemoteAccess } from './remote.js'
import type { PushOutcome } from './settings.js'
import { syncFs as fs } from './sync-fs.js'

const ZERO = '0'.repeat(40)

/** How many of the bot's chained commits (one per automation) a push on a known head may carry. */
const CHAIN_LIMIT = 50

export interface AddedObjectsPush {
  dir: string
  access: RemoteAccess
  cache: ObjectCache
  commit: string
  branch: string
}

/**
 * Pushes `commit` without listing the server's refs, as an update of `knownHead`; undefined when `commit`
 * does not build on `knownHead` by first parents (the caller then pushes the ordinary way).
 */
export async function pushOnKnownHead(
  push: AddedObjectsPush & { knownHead: string },
): Promise<PushOutcome | undefined> {
  const chain = await commitsSince(push.dir, push.cache, push.commit, push.knownHead)
  return chain && sendPack(push, push.knownHead, chain)
}

/** Lists the server's head of the branch, then pushes the objects `commit` adds since it. */
export async function pushAddedObjects(push: AddedObjectsPush): Promise<PushOutcome> {
  const { access, branch } = push
  const old = await serverHead(access, `refs/heads/${branch}`)
  // A new branch: the server holds the commit's parent on another branch (the one the bot read).
  const chain = old === ZERO ? [push.commit] : await commitsSince(push.dir, push.cache, push.commit, old)
  if (chain) return sendPack(push, old, chain)
  return {
    ok: false,
    rejected: true,
    reason: `push to ${branch} rejected (not a fast-forward: the branch moved)`,
  }
}

async function sendPack(push: AddedObjectsPush, old: string, chain: string[]): Promise<PushOutcome> {
  const { dir, access, cache, commit, branch } = push
  const ref = `refs/heads/${branch}`
  const oids: string[] = []
  for (const oid of chain) oids.push(...(await addedObjects(dir, cache, oid)))
  const objects: PackedObject[] = []
  for (const oid of new Set(oids)) {
    // The bot's own objects are loose (loose-objects.ts); anything else is read through isomorphic-git.
    const loose = await readLooseObject(dir, oid)
    if (loose) objects.push(loose)
    else {
      const { type, object } = await git.readObject({ fs, dir, oid, cache, format: 'content' })
      objects.push({ type: type as PackedType, content: object as Uint8Array })
    }
  }
  const command = `${old} ${commit} ${ref}\0report-status agent=imagebot\n`
  const response = await http.request({
    url: `${access.remote.url}/git-receive-pack`,
    method: 'POST',
    headers: {
      ...access.headers(),
      'content-type': 'application/x-git-receive-pack-request',
      accept: 'application/x-git-receive-pack-result',
    },
    // Streamed (chunked), as isomorphic-git's own push sends it: git http-backend (2.39) reads a body with a
    // Content-Length in a loop that never ends when the body stops short (a client killed mid-push).
    body: chunks([Buffer.from(`${pktLine(command)}0000`), packfile(objects)]),
  })
  const text = await readReport(response.body)
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

async function serverHead(access: RemoteAccess, ref: string): Promise<string> {
  const refs = await git.listServerRefs({
    http,
    url: access.remote.url,
    forPush: true,
    protocolVersion: 1,
    headers: access.headers(),
    prefix: ref,
  })
  return refs.find((listed) => listed.ref === ref)?.oid ?? ZERO
}

/**
 * `commit` and its first-parent ancestors down to (without) `old`, newest first; undefined when `old` is not
 * reached within CHAIN_LIMIT commits (the branch moved, or the commit is not built on it).
 */
async function commitsSince(
  dir: string,
  cache: ObjectCache,
  commit: string,
  old: string,
): Promise<string[] | undefined> {
  const chain: string[] = []
  let oid: string | undefined = commit
  while (oid !== undefined && oid !== old && chain.length < CHAIN_LIMIT) {
    chain.push(oid)
    try {
      oid = (await git.readCommit({ fs, dir, oid, cache })).commit.parent[0]
    } catch {
      return undefined // beyond the shallow history: the server's head is not an ancestor known here
    }
  }
  return oid === old ? chain : undefined
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

/**
 * The response up to the flush that ends report-status, or all of it. The ref is updated when the report is
 * sent, and receive-pack still runs `git gc --auto` before it exits (measured: 9 ms of a 60 ms push on an
 * idle machine, about 20 ms with one core busy), so that rest is not waited for: its iterator's return()
 * destroys the response.
 */
async function readReport(body: AsyncIterableIterator<Uint8Array> | undefined): Promise<string> {
  let received = Buffer.alloc(0)
  if (!body) return ''
  // Not `for await`: breaking out of it needs an object from return(), which this client's iterator lacks.
  for (let next = await body.next(); !next.done; next = await body.next()) {
    received = Buffer.concat([received, next.value])
    if (reportComplete(received.toString('latin1'))) {
      body.return?.()
      break
    }
  }
  return received.toString('utf8')
}

/** Whether `text` holds at least one pkt-line and then a flush-pkt. */
function reportComplete(text: string): boolean {
  let at = 0
  let lines = 0
  while (at + 4 <= text.length) {
    const size = Number.parseInt(text.slice(at, at + 4), 16)
    if (!Number.isFinite(size)) return false
    if (size === 0) return lines > 0
    at += size
    lines++
  }
  return false
}
