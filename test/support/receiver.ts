// A real local HTTP receiver for notifications: records every POST (path, headers, raw body) and answers
// with the status the test chooses per request. No vitest imports.
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received {
  path: string
  headers: IncomingHttpHeaders
  body: string
}

export interface Receiver {
  url: string
  received: Received[]
  /** Status for the next request to this path; default 200. Return 'hang' to never answer. */
  respond: (path: string, index: number) => number | 'hang'
  /** Answers every request left hanging. */
  release(): void
  stop(): Promise<void>
}

export async function startReceiver(): Promise<Receiver> {
  const hanging: (() => void)[] = []
  const receiver: Receiver = {
    url: '',
    received: [],
    respond: () => 200,
    release: () => {
      for (const answer of hanging.splice(0)) answer()
    },
    stop: async () => {
      receiver.release()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const path = req.url ?? '/'
      const index = receiver.received.filter((r) => r.path === path).length
      receiver.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      const status = receiver.respond(path, index)
      if (status === 'hang') hanging.push(() => res.writeHead(200).end('{}'))
      else res.writeHead(status, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return receiver
}
