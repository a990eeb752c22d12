// Verifying many rewritten files on all cores. Each file is read back by the full `yaml` parser
// (verify.ts), ~150 µs a HelmRelease, so a run that rewrites 10,000 files spends most of its time
// there; verdicts do not depend on each other, so chunks of files go to worker threads while the
// main thread verifies chunks too. Verdicts land by job index: the result is exactly the serial one.
//
// Hand-written rather than a pool library: piscina/tinypool are not in our dependencies (tinypool is
// not even installed here through vitest), a pool for one short burst per run needs no task queue,
// idle timeouts or resource limits, and neither lets the calling thread take chunks itself, which
// on this 2-core machine is half the capacity. Workers live for one batch and are terminated after.

import { availableParallelism, loadavg } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { Problem } from '../problems.js'
import { type VerifyJob, verifyRewrite } from './verify.js'
import type { WorkerBatch, WorkerReply } from './verify-worker.js'

/**
 * Below this many files the serial path wins. Measured from dist/ (.prof-style runs of verifyRewrites
 * on HelmReleases, 2 cores, load ~4): a worker is ready after ~0.1 s but verifies its first 2,500 files
 * in 0.84 s of CPU against 0.3 s once warm, since it JIT-compiles the yaml parser anew; serial
 * verification of 2,000 files took 0.27 s, parallel 0.42 s; 10,000: 0.98 s serial, 1.23 s parallel
 * while other work held both cores. Only with a core to spare and thousands of files does the second
 * thread pay for its warm-up, hence a high threshold.
 */
export const PARALLEL_MIN_JOBS = 4000
/** Files per message: large enough that posting is cheap, small enough to balance the threads. */
const CHUNK = 100

export interface ParallelOptions {
  /** Worker threads besides the main thread; default: the idle cores but one (spareCores). */
  workers?: number
  /** Verify in parallel from this many jobs on (default PARALLEL_MIN_JOBS). */
  minJobs?: number
  /** Whether the main thread verifies chunks too (default true; false leaves every chunk to workers). */
  mainThread?: boolean
  /** Filled in with the number of files each side verified (for tests and benches). */
  counts?: { main: number; workers: number }
}

/** The verdict of verifyRewrite for each job, in job order, identical to verifying them one by one. */
export async function verifyRewrites(
  jobs: VerifyJob[],
  options: ParallelOptions = {},
): Promise<(Problem | undefined)[]> {
  const workers = options.workers ?? spareCores()
  const counts = options.counts ?? { main: 0, workers: 0 }
  if (workers < 1 || jobs.length < (options.minJobs ?? PARALLEL_MIN_JOBS)) {
    counts.main += jobs.length
    return jobs.map(verifyOne)
  }
  const verdicts: (Problem | undefined)[] = Array.from({ length: jobs.length }, () => undefined)
  let next = 0
  const take = (): [number, VerifyJob[]] | undefined => {
    if (next >= jobs.length) return undefined
    const start = next
    next = Math.min(jobs.length, next + CHUNK)
    return [start, jobs.slice(start, next)]
  }
  const mainThread = options.mainThread ?? true
  const useful = Math.ceil(jobs.length / CHUNK) - (mainThread ? 1 : 0)
  const threads = Array.from({ length: Math.max(1, Math.min(workers, useful)) }, () => startWorker())
  try {
    const remote = threads.map((worker) => drain(worker, take, verdicts, counts))
    const verifyHere = async () => {
      for (let chunk = take(); chunk; chunk = take()) {
        const [start, part] = chunk
        part.forEach((job, index) => {
          verdicts[start + index] = verifyOne(job)
        })
        counts.main += part.length
        // Yield between chunks, so that replies and start-ups proceed.
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
    if (mainThread) await verifyHere()
    await Promise.all(remote)
    // Chunks a failed worker did not take, when the main thread took none of its own.
    await verifyHere()
  } finally {
    await Promise.all(threads.map((worker) => worker.terminate()))
  }
  return verdicts
}

/**
 * Cores no other work holds (by the 1-minute load average), less the main thread's. On a machine whose
 * cores are all busy a second thread only adds its warm-up (twice the CPU, ~40 MB more RSS measured
 * under tsx) and the serial path is faster.
 */
function spareCores(): number {
  const cores = availableParallelism()
  return Math.max(0, Math.min(cores - 1, Math.round(cores - loadavg()[0]!) - 1))
}

function verifyOne(job: VerifyJob): Problem | undefined {
  return verifyRewrite(job.file, job.before, job.after, job.splices)
}

/**
 * Under tsx or vitest this module is TypeScript, and so is its worker. `execArgv: ['--import', 'tsx']`
 * does not reach a worker's own entry module on Node 20 (ERR_UNKNOWN_FILE_EXTENSION), so there the
 * worker first registers tsx's loader through its API and then imports the entry.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./verify-worker.js', import.meta.url))
  }
  const api = JSON.stringify(import.meta.resolve('tsx/esm/api'))
  const entry = JSON.stringify(new URL('./verify-worker.ts', import.meta.url).href)
  return new Worker(`import(${api}).then((tsx) => { tsx.register(); return import(${entry}) })`, {
    eval: true,
  })
}

/**
 * Feeds one worker chunks until none are left. A worker that cannot start or dies hands its chunk to
 * the main thread, so the verdicts stay complete; a verification that throws fails as it would serially.
 */
function drain(
  worker: Worker,
  take: () => [number, VerifyJob[]] | undefined,
  verdicts: (Problem | undefined)[],
  counts: { main: number; workers: number },
): Promise<void> {
  return new Promise((resolve, reject) => {
    let current: [number, VerifyJob[]] | undefined
    let done = false
    const finish = (error?: Error) => {
      if (done) return
      done = true
      if (error) reject(error)
      else resolve()
    }
    const send = () => {
      current = take()
      if (!current) finish()
      else worker.postMessage({ id: current[0], jobs: current[1] } satisfies WorkerBatch)
    }
    const takeOver = () => {
      if (done) return
      try {
        if (current) {
          const [start, part] = current
          part.forEach((job, index) => {
            verdicts[start + index] = verifyOne(job)
          })
          counts.main += part.length
        }
        current = undefined
        finish()
      } catch (error) {
        finish(error instanceof Error ? error : new Error(String(error)))
      }
    }
    worker.on('message', (reply: WorkerReply) => {
      if ('ready' in reply) {
        send()
        return
      }
      if ('error' in reply) {
        finish(new Error(`rewrite verification failed in a worker thread: ${reply.error}`))
        return
      }
      reply.verdicts.forEach((verdict, index) => {
        verdicts[reply.id + index] = verdict
      })
      counts.workers += reply.verdicts.length
      send()
    })
    worker.once('error', takeOver)
    worker.once('exit', takeOver)
  })
}
