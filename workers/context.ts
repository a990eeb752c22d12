// What every daemon role works with. Workers orchestrate only: the domain work is behind `handlers`.
import type { Logger } from 'pino'
import type { Notifier } from '../src/notify/notifier.js'
import type { JobBackend } from '../src/queue/backend.js'
import type { PipelineHandlers } from '../src/queue/contract.js'
import type { Metrics } from '../src/server/metrics.js'
import type { StatusStore } from '../src/server/status.js'
import type { SuspensionStore } from '../src/server/suspension.js'

export interface WorkerContext {
  handlers: PipelineHandlers
  backend: JobBackend
  status: StatusStore
  /** Suspended repositories are updated as a dry run: decided and shown, never written. */
  suspension: SuspensionStore
  metrics: Metrics
  /** Present when `notify:` entries are configured and this process runs updates. */
  notifier?: Notifier
  logger: Logger
}
