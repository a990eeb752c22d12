// Command-line entry: parses arguments and hands off to the command modules. No domain logic here.
import { Command } from 'commander'
import { registerDemo } from './demo.js'
import { registerOnce, registerPlan } from './plan.js'
import { registerStart } from './start.js'
import { registerTags } from './tags.js'
import { registerTargets } from './targets.js'

const program = new Command()
  .name('imagebot')
  .description('Keeps GitOps config repos up to date with the container images CI pushes.')
  .version('0.1.0')

registerTargets(program)
registerTags(program)
registerPlan(program)
registerOnce(program)
registerStart(program)
registerDemo(program)

await program.parseAsync(process.argv)
