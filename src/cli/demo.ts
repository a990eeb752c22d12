// `imagebot demo`: the whole mission on this machine in well under a minute. Starts a real registry and git
// server on loopback, seeds a gitops-helm config repo, plays CI pushing branch-sha images, runs one cycle and
// prints the bot's commit. The servers are the ones the tests use (test/support/), loaded only for the demo.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { loadConfig } from '../config/index.js'
import { createClient } from '../run/observer.js'
import { runCycle } from '../run/once.js'
import { EXIT_PROBLEMS } from './output.js'

const NEEDS = [
  { path: '/usr/bin/docker-registry', pkg: 'docker-registry' },
  { path: '/usr/lib/git-core/git-http-backend', pkg: 'git' },
]

export async function run(): Promise<void> {
  const missing = NEEDS.filter((need) => !existsSync(need.path)).map((need) => need.pkg)
  if (missing.length > 0) {
    process.stderr.write(`missing Debian packages: run  sudo apt-get install -y ${missing.join(' ')}\n`)
    process.exitCode = EXIT_PROBLEMS
    return
  }
  await runDemo()
}

async function runDemo(): Promise<void> {
  // Loaded on demand: the servers live with the tests, and installs without test/ never reach this line.
  const { CI_TAGS, REPO, startScenario } = await import('../../test/support/scenario.js')
  const started = Date.now()
  const say = (text: string) => process.stdout.write(`\x1b[1m▸ ${text}\x1b[0m\n`)
  say('starting a docker-registry and a git smart-HTTP server on loopback')
  const scenario = await startScenario()
  try {
    say(
      `seeded ${scenario.repoUrl} (gitops-helm layout: releases/dev, stg with glob filters, prod with semver:~0.4)`,
    )
    say(`CI pushes stefanprodan/podinfo:{${CI_TAGS.join(',')}} to ${scenario.registry.url}`)
    await scenario.pushTags(CI_TAGS)
    say('imagebot once')
    const config = await loadConfig(scenario.configPath, {})
    const cycle = await runCycle(config, createClient(config))
    for (const update of cycle.report.repositories.flatMap((repository) => repository.updates)) {
      process.stdout.write(`  ${update.file}  ${update.current} → ${update.next}  (${update.policy})\n`)
    }
    say('the bot’s commit')
    process.stdout.write(
      execFileSync(
        'git',
        ['--git-dir', `${scenario.git.root}/${REPO}.git`, 'log', '-p', '-1', '--format=fuller', 'main'],
        {
          encoding: 'utf8',
        },
      ),
    )
    const second = await runCycle(config, createClient(config))
    const again = second.report.repositories[0]?.commit
      ? 'made another commit (unexpected)'
      : 'changes nothing'
    say(`running once more ${again}; done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  } finally {
    await scenario.stop()
  }
}
