// Issue 12 §4: the daemon's /healthz latency while hostile clients flood its HTTP server (150 stalled 1 MB
// bodies without auth, then 64 stalled bodies with forged signatures), and what the flood adds to its RSS.
// The daemon and the clients run in processes of their own, so only the daemon's own work is measured.
import { signSha256 } from '../src/server/webhooks/index.js'
import {
  healthzDuring,
  requestHead,
  spawnWebDaemon,
  stallingClients,
  watchRssGrowth,
} from '../test/support/hostile-clients.js'
import type { Bench, BenchFigure } from './figure.js'

const SECRET = 'bench-secret-0123456789'
const MB = 1024 * 1024

export const run: Bench = async () => {
  const web = await spawnWebDaemon({
    webhooks: [
      { type: 'harbor', secret: SECRET },
      { type: 'generic', secret: SECRET },
    ],
  })
  try {
    // The same samples with no flood: on a machine other work keeps busy, this says how much is not the flood's.
    const idle = await healthzDuring(web.port, () => new Promise((resolve) => setTimeout(resolve, 2_000)))
    const figures: BenchFigure[] = [
      { name: '/healthz slowest answer, no flood (this machine now)', value: idle.slowestMs, unit: 'ms' },
    ]
    const rss = watchRssGrowth(web.process.pid)
    const unauthenticated = await stallingClients(
      web.port,
      150,
      requestHead(web.port, '/hooks/harbor', { 'content-length': 2 * MB }),
      MB,
    )
    const flood = await healthzDuring(web.port, () => unauthenticated.attack())
    const forgedHead = requestHead(web.port, '/hooks/generic', {
      'x-signature': signSha256('forged', SECRET),
      'content-length': 200_000,
    })
    const forged = await stallingClients(web.port, 64, forgedHead, 100_000)
    const signed = await healthzDuring(web.port, () => forged.attack())
    const grown = rss.stop()
    const slowest = Math.max(flood.slowestMs, signed.slowestMs)
    figures.push({
      name: '/healthz slowest answer during both floods',
      value: slowest,
      unit: 'ms',
      bound: '< 100 ms',
      ok: slowest < 100,
    })
    const grownMb = grown / MB
    figures.push({
      name: 'daemon RSS added by the floods (was +145 MB)',
      value: grownMb,
      unit: 'MB',
      bound: '< 40 MB',
      ok: grownMb < 40,
    })
    return figures
  } finally {
    await web.process.stop('SIGKILL')
  }
}
