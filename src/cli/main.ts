// Command-line entry: declares the commands from the table in commands.ts and loads only the one that runs.
// Exit codes: usage mistakes commander detects (unknown command or option, missing argument or --config, a bare
// `imagebot`) exit 2; the command itself sets 0 or 1 (see output.ts). No domain logic here.
import { readFileSync } from 'node:fs'
import { Command, CommanderError, Option } from 'commander'
import { COMMANDS, type CommandSpec } from './commands.js'
import { reportFailure } from './failure.js'
import { EXIT_OK, EXIT_USAGE } from './output.js'

const program = new Command()
  .name('imagebot')
  .description('Keeps GitOps config repos up to date with the container images CI pushes.')
  .version(packageVersion())
  .exitOverride()
  .showHelpAfterError('(run imagebot --help for the commands, imagebot <command> --help for its options)')

for (const spec of COMMANDS) declare(program, spec)

// No top-level await: the bundle is a CommonJS script (scripts/bundle-cli.mjs says why).
program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    // Help and --version arrive here too, with exit code 0; a bare `imagebot` prints help with code 1.
    process.exitCode = error.exitCode === 0 ? EXIT_OK : EXIT_USAGE
  } else {
    reportFailure(error)
  }
})

function declare(parent: Command, spec: CommandSpec): void {
  const command = parent.command(spec.name).description(spec.description)
  for (const argument of spec.arguments ?? []) command.argument(argument.name, argument.description)
  for (const declared of spec.options ?? []) {
    const option = new Option(declared.flags, declared.description)
    if (declared.default !== undefined) option.default(declared.default)
    if (declared.required) option.makeOptionMandatory()
    command.addOption(option)
  }
  command.action(async (...received: unknown[]) => {
    // Commander passes the positional arguments, then the options object, then the command.
    const positional = received.slice(0, -2) as (string | undefined)[]
    const module = await spec.load()
    await module.run(positional, received.at(-2) as never)
    if (spec.exitWhenDone) process.exit()
  })
}

/** The version from package.json, found upward from this file (src/cli/ under tsx, dist/bundle/ built). */
function packageVersion(): string {
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    try {
      const manifest = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as {
        name?: string
        version?: string
      }
      if (manifest.name === 'imagebot' && manifest.version) return manifest.version
    } catch {
      if (dir.pathname === '/') return 'unknown'
    }
    if (dir.pathname === '/') return 'unknown'
  }
}
