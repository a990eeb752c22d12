// The users'-guide scenario for signed-commit tests: CI tags pushed, extra keys written under the repository's
// `commit:` in imagebot.yaml, and one `once` run read back as that repository's report.
import { readFile, writeFile } from 'node:fs/promises'
import { afterEach } from 'vitest'
import { loadConfig } from '../../src/config/index.js'
import { createClient } from '../../src/run/observer.js'
import { runCycle } from '../../src/run/once.js'
import { CI_TAGS, type Scenario, startScenario } from './scenario.js'

/** `commitKeys`: YAML lines at the indent of `commit:`'s keys (six spaces). */
export async function startSigningScenario(commitKeys: string): Promise<Scenario> {
  const scenario = await startScenario()
  await scenario.pushTags(CI_TAGS)
  const config = await readFile(scenario.configPath, 'utf8')
  await writeFile(scenario.configPath, config.replace('    commit:\n', `    commit:\n${commitKeys}`))
  return scenario
}

/** One `once` run with `env` as the environment; the report of the scenario's repository. */
export async function onceWith(scenario: Scenario, env: NodeJS.ProcessEnv) {
  const config = await loadConfig(scenario.configPath, env)
  return (await runCycle(config, createClient(config))).report.repositories[0]!
}

/** `const setUp = scenarioPerTest()` in a test file: each test's signing scenario, stopped after the test. */
export function scenarioPerTest(): (commitKeys: string) => Promise<Scenario> {
  let current: Scenario | undefined
  afterEach(async () => {
    await current?.stop()
    current = undefined
  })
  return async (commitKeys) => {
    current = await startSigningScenario(commitKeys)
    return current
  }
}
