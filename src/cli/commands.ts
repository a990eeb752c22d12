// The command table: what `imagebot --help` shows and what commander parses, declared as data so that
// start-up loads no command's dependencies. Each entry's `load` imports its module only when that command
// runs (`targets` never loads git, BullMQ or the HTTP server).
//
// Adding a command: one module in src/cli/ exporting `run(args, flags)`, and one entry here with its
// arguments and options. Flags reach `run` as commander parses them (camelCase keys: --log-level → logLevel).

export interface OptionSpec {
  /** Commander syntax: '--config <file>', '--json', '--path <prefix...>'. */
  flags: string
  description: string
  default?: string
  required?: boolean
}

export interface CommandModule {
  /**
   * Sets process.exitCode, or throws (failure.ts says it in one line). `args` are the declared arguments in
   * order (undefined when an optional one is absent); `flags` is typed by each module as the interface
   * matching its declared options, hence `never` here.
   */
  run(args: (string | undefined)[], flags: never): Promise<void>
}

export interface CommandSpec {
  name: string
  description: string
  /** Commander syntax: '<image>', '[dir]'. */
  arguments?: { name: string; description: string }[]
  options?: OptionSpec[]
  load: () => Promise<CommandModule>
  /**
   * A read-only command whose work is all awaited by the time run() returns: the process exits right then,
   * skipping Node's teardown of the heap, which cost `plan` 13-20 ms (A/B runs; stdout and stderr are written
   * synchronously on Linux, so no output is cut).
   */
  exitWhenDone?: true
}

const CONFIG: OptionSpec = { flags: '--config <file>', description: 'imagebot.yaml' }
const REQUIRED_CONFIG: OptionSpec = { ...CONFIG, required: true }
const REPOSITORY: OptionSpec = {
  flags: '--repo <url>',
  description: 'with <dir> and a config listing several repositories: the one <dir> is a checkout of',
}

const SERVER: OptionSpec = {
  flags: '--server <url>',
  description: 'the daemon, e.g. http://127.0.0.1:8080',
  required: true,
}
const REPO: OptionSpec = { flags: '--repo <url>', description: 'a configured repository URL' }
const STEER_AUTH: OptionSpec[] = [
  { flags: '--token <token>', description: 'server.auth bearer token (default: $IMAGEBOT_TOKEN)' },
  { flags: '--user <user:password>', description: 'server.auth basic credentials' },
]

/** The verbs that write (policy, release) act on a local directory or on a configured repository. */
const STEER_DIR = {
  name: '[dir]',
  description: 'a local checkout: print the diff (and write the files with --write) instead of committing',
}
const WORKLOAD: OptionSpec = {
  flags: '--workload <id>',
  description: 'the workload, namespace:kind/name (kind/name means the default namespace)',
  required: true,
}
const STEER_OPTIONS: OptionSpec[] = [
  { ...CONFIG, description: 'imagebot.yaml: commit to its repository (and push) instead of a directory' },
  { flags: '--repo <url>', description: 'which configured repository, when there are several' },
  { flags: '--dry-run', description: 'with --config: print the diff, commit nothing' },
  { flags: '--write', description: 'with a directory: save the changed files in place' },
  { flags: '--json', description: 'print JSON: {changes, files, commit, diff, errors}' },
]

export const COMMANDS: CommandSpec[] = [
  {
    name: 'targets',
    description:
      'list every automated container in a directory tree, with its file, workload, image and policy',
    arguments: [{ name: '<dir>', description: 'a checkout of the config repository' }],
    options: [
      {
        ...CONFIG,
        description: 'imagebot.yaml: its repository’s paths and namespaces select what is listed',
      },
      REPOSITORY,
      { flags: '--json', description: 'print JSON: {targets, skipped, errors}' },
      {
        flags: '--all',
        description: 'also list skipped containers (not automated, locked, ignored) with the reasons',
      },
      {
        flags: '--path <prefix...>',
        description: 'only files under these path prefixes (like Flux --git-path)',
      },
      { flags: '--namespace <ns...>', description: 'only workloads in these namespaces' },
    ],
    load: () => import('./targets.js'),
    exitWhenDone: true,
  },
  {
    name: 'tags',
    description:
      'list an image repository’s tags, newest first for a policy, and the tag the policy would pick',
    arguments: [
      {
        name: '<image>',
        description: 'image reference as written in manifests, e.g. stefanprodan/podinfo:dev-kb9lm91e',
      },
    ],
    options: [
      { ...CONFIG, description: 'imagebot.yaml, for registry endpoints and credentials' },
      {
        flags: '--policy <filter>',
        description: 'tag filter, as in the annotation: glob:dev-*, semver:~1.2, regex:^main-',
        default: 'glob:*',
      },
      {
        flags: '--json',
        description:
          'print JSON: {image, policy, pick, reason, tagsSeen, candidates, tags: [{tag, created, digest}]}',
      },
    ],
    load: () => import('./tags.js'),
    exitWhenDone: true,
  },
  {
    name: 'plan',
    description: 'fetch, decide and rewrite in memory: show what `once` would commit, and why',
    arguments: [
      { name: '[dir]', description: 'a local checkout to plan on instead of the configured repositories' },
    ],
    options: [
      {
        ...CONFIG,
        description: 'imagebot.yaml: registries; with <dir>, its repository’s paths and namespaces too',
      },
      REPOSITORY,
      {
        flags: '--json',
        description: 'print JSON: {outcome, repositories: [{url, branch, updates, skipped, errors}]}',
      },
      { flags: '--diff', description: 'print the unified diff of every file that would change' },
      { flags: '--explain', description: 'print the decision behind every automated container' },
    ],
    load: () => import('./plan.js'),
    exitWhenDone: true,
  },
  {
    name: 'once',
    description:
      'run one full cycle for every configured repository: fetch, decide, rewrite, commit and push',
    options: [
      REQUIRED_CONFIG,
      {
        flags: '--json',
        description: 'print JSON: {outcome, repositories: [{url, branch, commit, updates, skipped, errors}]}',
      },
    ],
    load: () => import('./once.js'),
  },
  {
    name: 'start',
    description: 'run continuously: poll registries on schedule, take webhooks, commit and push updates',
    options: [
      REQUIRED_CONFIG,
      {
        flags: '--role <role>',
        description: 'what this process does: all|scheduler|worker|web (roles other than all need Redis)',
        default: 'all',
      },
      {
        flags: '--listen <addr>',
        description:
          'host:port of the status page, /api, webhooks, /metrics, /healthz, /readyz, /status (overrides server.listen)',
      },
      {
        flags: '--log-level <level>',
        description: 'trace|debug|info|warn|error|fatal|silent (default: $IMAGEBOT_LOG_LEVEL, else info)',
      },
      {
        flags: '--log-format <format>',
        description:
          'json|pretty (default: $IMAGEBOT_LOG_FORMAT, else pretty on a terminal and JSON lines otherwise)',
      },
    ],
    load: () => import('./start.js'),
  },
  {
    name: 'reconcile',
    description: 'ask a running daemon to rescan now, then update: one repository, one image, or everything',
    options: [
      SERVER,
      { flags: '--repo <url>', description: 'only this configured repository (and the images it uses)' },
      { flags: '--image <ref>', description: 'only this image (and the repositories using it)' },
      ...STEER_AUTH,
    ],
    load: async () => ({ run: (await import('./steer.js')).reconcile }),
  },
  {
    name: 'suspend',
    description: 'stop a running daemon writing to a repository: still scanned and shown, never committed',
    options: [SERVER, { ...REPO, required: true }, ...STEER_AUTH],
    load: async () => ({ run: (await import('./steer.js')).suspend }),
  },
  {
    name: 'resume',
    description: 'let a running daemon write to a suspended repository again',
    options: [SERVER, { ...REPO, required: true }, ...STEER_AUTH],
    load: async () => ({ run: (await import('./steer.js')).resume }),
  },
  {
    name: 'images',
    description: 'fluxctl list-images: each automated container, its current tag and the newest candidates',
    arguments: [{ name: '[dir]', description: 'a local checkout instead of the configured repository' }],
    options: [
      { ...CONFIG, description: 'imagebot.yaml: its repository, registries and scan settings' },
      { flags: '--repo <url>', description: 'which configured repository, when there are several' },
      { flags: '--workload <id>', description: 'only this workload, namespace:kind/name' },
      { flags: '--limit <n>', description: 'candidates shown per container; 0 shows all', default: '10' },
      {
        flags: '--json',
        description:
          'print JSON: {source, images: [{workload, container, current, pick, candidates}], skipped, errors}',
      },
    ],
    load: () => import('./images.js'),
    exitWhenDone: true,
  },
  {
    name: 'policy',
    description: 'fluxctl policy on git: automate, lock or set tag filters of a workload, in one commit',
    arguments: [STEER_DIR],
    options: [
      WORKLOAD,
      { flags: '--automate', description: 'set fluxcd.io/automated: "true"' },
      { flags: '--deautomate', description: 'remove the automated annotation' },
      {
        flags: '--lock',
        description: 'set fluxcd.io/locked: "true" (imagebot never touches a locked workload)',
      },
      { flags: '--unlock', description: 'remove the lock and its message and user' },
      { flags: '--message <text>', description: 'with --lock: why (fluxcd.io/locked_msg)' },
      { flags: '--user <name>', description: 'with --lock: who (fluxcd.io/locked_user)' },
      {
        flags: '--tag <container=filter...>',
        description: "a container's tag filter, e.g. 'api=semver:~1.2'; 'api=*' removes it",
      },
      { flags: '--tag-all <filter>', description: 'the tag filter of every container not named by --tag' },
      ...STEER_OPTIONS,
    ],
    load: () => import('./policy.js'),
  },
  {
    name: 'release',
    description: 'fluxctl release on git: move a workload to an image tag, in one commit like the bot’s',
    arguments: [STEER_DIR],
    options: [
      WORKLOAD,
      { flags: '--update-image <ref>', description: 'repository:tag to release', required: true },
      {
        flags: '--force',
        description: 'release even if the workload is locked or ignored, or the tag fails its filter',
      },
      ...STEER_OPTIONS,
    ],
    load: () => import('./release.js'),
  },
  {
    name: 'demo',
    description: 'run the whole mission locally: registry, git server, CI pushes, one bot cycle, the commit',
    load: () => import('./demo.js'),
  },
]
