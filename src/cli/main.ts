// Command-line entry: parses arguments and hands off to the command modules. No domain logic here.
import { Command } from 'commander'

const program = new Command()
  .name('imagebot')
  .description('Keeps GitOps config repos up to date with the container images CI pushes.')
  .version('0.1.0')

await program.parseAsync(process.argv)
