// Which branch each ImageUpdateAutomation reads and pushes. The precedence cases are those of Flux's
// image-automation-controller internal/source/git_test.go Test_buildGitConfig ("same branch, gitSpec
// checkoutRef", "different branch, gitSpec checkoutRef", "same branch, gitrepo checkoutRef", "different
// branch, gitrepo checkoutRef", "gitSpec override gitRepo checkout config"), plus imagebot.yaml winning.
import { describe, expect, it } from 'vitest'
import { emptyObjects, type FluxObjects, type ImageUpdateAutomationObject } from '../flux2/objects/model.js'
import { automationLanes, type RepositoryIdentity } from './automation.js'

const URL = 'https://git.example.test/acme/config.git'

function objects(git: Partial<ImageUpdateAutomationObject>, sourceBranch?: string): FluxObjects {
  const found = emptyObjects()
  found.gitRepositories.push({
    namespace: 'flux-system',
    name: 'flux-system',
    file: 'sync.yaml',
    url: URL,
    ...(sourceBranch && { branch: sourceBranch }),
  })
  found.automations.push({
    namespace: 'flux-system',
    name: 'apps',
    file: 'auto.yaml',
    sourceRef: { kind: 'GitRepository', namespace: 'flux-system', name: 'flux-system' },
    path: '',
    ...git,
  })
  return found
}

const unset: RepositoryIdentity = {
  url: URL,
  branch: 'main',
  pushBranch: 'main',
  explicitBranch: false,
  explicitPushBranch: false,
  author: { name: 'imagebot', email: 'imagebot@users.noreply.github.com' },
}

const lanesOf = (found: FluxObjects, repository = unset) =>
  automationLanes(found, repository).lanes.map(({ branch, pushBranch, automations }) => [
    branch,
    pushBranch,
    automations,
  ])

describe('automationLanes', () => {
  it.each([
    ['same branch, gitSpec checkoutRef', { checkoutBranch: 'aaa' }, undefined, ['aaa', 'aaa']],
    [
      'different branch, gitSpec checkoutRef',
      { checkoutBranch: 'aaa', pushBranch: 'bbb' },
      undefined,
      ['aaa', 'bbb'],
    ],
    ['same branch, gitrepo checkoutRef', {}, 'ccc', ['ccc', 'ccc']],
    ['different branch, gitrepo checkoutRef', { pushBranch: 'ddd' }, 'ccc', ['ccc', 'ddd']],
    [
      'gitSpec override gitRepo checkout config',
      { checkoutBranch: 'aaa', pushBranch: 'bbb' },
      'ccc',
      ['aaa', 'bbb'],
    ],
    ['no checkoutRef defined: the configured branch', { pushBranch: 'aaa' }, undefined, ['main', 'aaa']],
  ])('%s', (_, git, sourceBranch, [branch, push]) => {
    expect(lanesOf(objects(git, sourceBranch))).toEqual([
      ['main', 'main', []],
      [branch, push, ['flux-system/apps']],
    ])
  })

  it('shares the configured lane when the automation names the same branches', () => {
    expect(lanesOf(objects({ checkoutBranch: 'main', pushBranch: 'main' }))).toEqual([
      ['main', 'main', ['flux-system/apps']],
    ])
  })

  it('keeps the branches imagebot.yaml sets and warns with the key to change', () => {
    const explicit = { ...unset, explicitBranch: true, explicitPushBranch: true }
    const found = objects({ checkoutBranch: 'aaa', pushBranch: 'bbb' })
    expect(lanesOf(found, explicit)).toEqual([['main', 'main', ['flux-system/apps']]])
    expect(automationLanes(found, explicit).warnings.map((warning) => warning.message)).toEqual([
      expect.stringContaining(
        'checks out aaa, imagebot reads main as imagebot.yaml says; remove repositories[].branch',
      ),
      expect.stringContaining(
        'pushes to bbb, imagebot pushes to main as imagebot.yaml says; remove repositories[].pushBranch',
      ),
    ])
    // Only the push branch set: the automation still picks the branch read.
    expect(lanesOf(found, { ...unset, explicitPushBranch: true })).toEqual([
      ['main', 'main', []],
      ['aaa', 'main', ['flux-system/apps']],
    ])
  })

  it("ignores automations of other repositories' GitRepositories", () => {
    const found = objects({ pushBranch: 'elsewhere' })
    found.gitRepositories[0]!.url = 'https://git.example.test/acme/other.git'
    expect(lanesOf(found)).toEqual([['main', 'main', []]])
  })
})
