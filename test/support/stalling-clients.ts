// Hostile HTTP clients in a process of their own, so the test process that measures the daemon's /healthz
// latency is not the one busy writing megabytes: `tsx test/support/stalling-clients.ts <json>` with
// { port, count, head, bytes } opens `count` connections, sends `head` (request line and headers) and
// `bytes` bytes of body, then stalls. Prints one JSON line: for each connection the status line the
// server sent ('' if none) and when it closed the connection (ms after connecting). It prints "loaded" and
// waits for a line on stdin before connecting, so its start-up is not measured.
import { once } from 'node:events'
import { connect } from 'node:net'

const { port, count, head, bytes } = JSON.parse(process.argv[2]!) as {
  port: number
  count: number
  head: string
  bytes: number
}
const body = Buffer.alloc(bytes, 'a')
process.stdout.write('loaded\n')
await once(process.stdin, 'data')
const outcomes = await Promise.all(
  Array.from(
    { length: count },
    () =>
      new Promise<{ status: string; afterMs: number }>((resolve) => {
        const started = Date.now()
        let text = ''
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(head)
          socket.write(body)
        })
        socket.on('data', (chunk: Buffer) => {
          text += chunk.toString('latin1')
        })
        socket.on('error', () => {})
        socket.on('close', () =>
          resolve({ status: text.split('\r\n')[0] ?? '', afterMs: Date.now() - started }),
        )
      }),
  ),
)
process.stdout.write(`${JSON.stringify(outcomes)}\n`)
