// What every daemon role works with. Workers orchestrate only: the domain work is behind `handlers`.
import type { Logger } from 'pino'
import type { JobBackend } from '../src/queue/backend.js'
import type { PipelineHandlers } from '../src/queue/contract.js'
import type { Metrics } from '../src/server/metrics.js'
import type { StatusStore } from '../src/server/status.js'

export interface WorkerContext {
  handlers: PipelineHandlers
  backend: JobBackend
  status: StatusStore
  metrics: Metrics
  logger: Logger
}
