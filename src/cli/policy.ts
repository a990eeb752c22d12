// `imagebot policy`: fluxctl policy on git (automate, lock, tag filters as annotations).
import { checkPolicyRequest, type PolicyRequest, policySteering } from '../run/policy-verb.js'
import { normalizeWorkloadId } from '../run/workload-find.js'
import { checkArguments, runSteer, type SteerFlags } from './steer-run.js'

/** The request's own flags, as commander names them (--tag-all → tagAll); --tag is a list of pairs. */
interface PolicyFlags extends SteerFlags, Omit<PolicyRequest, 'workload' | 'tags' | 'excludeTags'> {
  workload: string
  tag?: string[]
}

export async function run([dir]: (string | undefined)[], flags: PolicyFlags): Promise<void> {
  const {
    workload,
    tag,
    config: _config,
    repo: _repo,
    dryRun: _dryRun,
    write: _write,
    json: _json,
    ...policy
  } = flags
  const request: PolicyRequest = {
    ...policy,
    workload: checkArguments(() => normalizeWorkloadId(workload)),
    ...(tag && { tags: tag }),
  }
  checkArguments(() => checkPolicyRequest(request))
  await runSteer(
    dir,
    flags,
    (config) => (files) => policySteering(files, { ...request, excludeTags: config.scan.excludeTags }),
  )
}
