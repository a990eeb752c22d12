// The worker side of parallel verification (verify-parallel.ts): verifies each batch of jobs it is
// posted with the same verifyRewrite as the main thread and posts the verdicts back in job order.

import { parentPort } from 'node:worker_threads'
import type { Problem } from '../problems.js'
import { type VerifyJob, verifyRewrite } from './verify.js'

/** `id` is the index of the batch's first job. */
export interface WorkerBatch {
  id: number
  jobs: VerifyJob[]
}

export type WorkerReply =
  | { ready: true }
  | { id: number; verdicts: (Problem | undefined)[] }
  | { id: number; error: string }

parentPort?.on('message', ({ id, jobs }: WorkerBatch) => {
  let reply: WorkerReply
  try {
    reply = { id, verdicts: jobs.map((job) => verifyRewrite(job.file, job.before, job.after, job.splices)) }
  } catch (error) {
    reply = { id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }
  }
  parentPort?.postMessage(reply)
})
// Loaded and listening: the pool sends the first batch only now (under tsx the import is asynchronous).
parentPort?.postMessage({ ready: true } satisfies WorkerReply)
