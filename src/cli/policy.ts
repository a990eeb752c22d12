// `imagebot policy`: fluxctl policy on git (automate, lock, tag filters as annotations).
import { checkPolicyRequest, type PolicyRequest, policySteering } from '../run/policy-verb.js'
import { normalizeWorkloadId } from '../run/workload-find.js'
import { checkArguments, runSteer, type SteerFlags } from './steer-run.js'

interface PolicyFlags extends SteerFlags {
  workload: string
  automate?: boolean
  deautomate?: boolean
  lock?: boolean
  unlock?: boolean
  message?: string
  user?: string
  tag?: string[]
  tagAll?: string
}

export async function run([dir]: (string | undefined)[], flags: PolicyFlags): Promise<void> {
  const request: PolicyRequest = {
    workload: checkArguments(() => normalizeWorkloadId(flags.workload)),
    ...(flags.automate && { automate: true }),
    ...(flags.deautomate && { deautomate: true }),
    ...(flags.lock && { lock: true }),
    ...(flags.unlock && { unlock: true }),
    ...(flags.message !== undefined && { message: flags.message }),
    ...(flags.user !== undefined && { user: flags.user }),
    ...(flags.tag && { tags: flags.tag }),
    ...(flags.tagAll !== undefined && { tagAll: flags.tagAll }),
  }
  checkArguments(() => checkPolicyRequest(request))
  await runSteer(
    dir,
    flags,
    (config) => (files) => policySteering(files, { ...request, excludeTags: config.scan.excludeTags }),
  )
}
