// Packaging stays in step with the code: the configs shipped in deploy/ load with the real loader, the
// compose and Kubernetes files agree with each other and with the CLI, and the Dockerfile copies what startup
// imports. test/packaging-registry.test.ts checks the compose registry's notifications against a real registry.
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse, parseAllDocuments } from 'yaml'
import { parseConfig } from '../src/config/index.js'
import { importGraph } from './support/import-graph.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const K8S = 'deploy/kubernetes'
const read = (path: string) => readFile(join(ROOT, path), 'utf8')

interface Service {
  build?: string
  command?: string[]
  environment?: Record<string, string>
  volumes?: string[]
  ports?: string[]
}
interface Probe {
  httpGet: { path: string; port: string }
}
interface Container {
  args: string[]
  envFrom: { secretRef?: { name: string } }[]
  ports: { name: string; containerPort: number }[]
  startupProbe: Probe
  livenessProbe: Probe
  readinessProbe: Probe
  securityContext: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean }
  volumeMounts: { name: string; mountPath: string }[]
}
interface PodSpec {
  securityContext: { runAsNonRoot?: boolean; runAsUser?: number }
  containers: Container[]
  volumes: { name: string; configMap?: { name: string }; emptyDir?: object }[]
}
interface Manifest {
  kind: string
  metadata: { name: string }
  data?: Record<string, string>
  stringData?: Record<string, string>
  spec?: { replicas?: number; template?: { spec: PodSpec }; ports?: { name: string; targetPort: string }[] }
}

/** `${NAME}` references in a YAML file's values (comments do not count; `$${NAME}` is an escape), with
 * compose's `${NAME:?message}` form too. */
function envNames(yamlText: string): string[] {
  const strings = (value: unknown): string[] =>
    typeof value === 'string'
      ? [value]
      : value && typeof value === 'object'
        ? Object.values(value).flatMap(strings)
        : []
  const names = strings(parse(yamlText)).flatMap((text) =>
    [...text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}/g)].map((match) => match[1]!),
  )
  return [...new Set(names)]
}

/** Stand-ins that pass the schema: URLs where a URL is expected, else URL-safe secrets of 16+ chars. */
function placeholders(names: string[]): NodeJS.ProcessEnv {
  const value = (name: string) =>
    name.endsWith('_URL')
      ? 'https://git.example.com/acme/gitops.git'
      : `placeholder-${name.toLowerCase()}-0123`
  return Object.fromEntries(names.map((name) => [name, value(name)]))
}

function flagValue(args: string[], flag: string): string | undefined {
  const at = args.indexOf(flag)
  return at === -1 ? undefined : args[at + 1]
}

async function kubernetesManifests(): Promise<Map<string, Manifest>> {
  const byFile = new Map<string, Manifest>()
  for (const file of (await readdir(join(ROOT, K8S))).filter((name) => name.endsWith('.yaml'))) {
    const docs = parseAllDocuments(await read(`${K8S}/${file}`))
    if (!Array.isArray(docs)) throw new Error(`${file}: no YAML documents`)
    expect(docs.flatMap((doc) => doc.errors).map(String), file).toEqual([])
    expect(docs, `${file}: one object per file`).toHaveLength(1)
    byFile.set(file, docs[0]!.toJS() as Manifest)
  }
  return byFile
}

describe('docker compose', async () => {
  const composeText = await read('docker-compose.yml')
  const services = (parse(composeText) as { services: Record<string, Service> }).services
  const imagebot = services.imagebot!
  const configText = await read('deploy/compose/imagebot.yaml')

  it('runs redis with appendonly, a registry and imagebot built from this repo', () => {
    expect(Object.keys(services).sort()).toEqual(['imagebot', 'redis', 'registry'])
    expect(services.redis!.command).toEqual(['redis-server', '--appendonly', 'yes'])
    expect(imagebot.build).toBe('.')
    expect(imagebot.command?.slice(0, 3)).toEqual(['start', '--config', '/config/imagebot.yaml'])
    expect(flagValue(imagebot.command!, '--listen')).toBe('0.0.0.0:8080')
    expect(imagebot.ports).toContain('8080:8080')
    expect(imagebot.volumes?.some((volume) => volume.endsWith(':/state'))).toBe(true)
  })

  it('mounts files that exist', () => {
    for (const service of Object.values(services)) {
      for (const source of (service.volumes ?? []).filter((volume) => volume.startsWith('./'))) {
        expect(existsSync(join(ROOT, source.split(':')[0]!)), source).toBe(true)
      }
    }
    expect(imagebot.volumes).toContain('./deploy/compose/imagebot.yaml:/config/imagebot.yaml:ro')
  })

  it('loads its imagebot.yaml with the real loader, every env reference supplied by the service', () => {
    const env = imagebot.environment!
    for (const name of envNames(configText)) expect(Object.keys(env), `${name} not passed`).toContain(name)
    const filled = { ...placeholders(envNames(configText)), REDIS_URL: env.REDIS_URL }
    const config = parseConfig(configText, 'deploy/compose/imagebot.yaml', '/config', filled)
    expect(config.redis?.url).toBe('redis://redis:6379')
    expect(config.stateDir).toBe('/state')
    expect(config.server).toMatchObject({ host: '0.0.0.0', port: 8080 })
    expect(config.webhooks.map((hook) => hook.type)).toEqual(['distribution'])
    expect(config.registries[0]?.endpoint).toBe('http://registry:5000')
  })

  it('documents every variable it reads from .env in env.example', async () => {
    const example = await read('deploy/compose/env.example')
    for (const name of envNames(composeText)) expect(example).toMatch(new RegExp(`^${name}=`, 'm'))
  })
})

describe('kubernetes', async () => {
  const manifests = await kubernetesManifests()
  const get = (file: string) => manifests.get(file) ?? expect.fail(`${K8S}/${file} is missing`)
  const configMap = get('configmap.yaml')
  const secret = get('secret.example.yaml')
  const deployment = get('deployment.yaml')
  const pod = deployment.spec!.template!.spec
  const container = pod.containers[0]!

  it('lists every manifest in kustomization.yaml except the example Secret', () => {
    const { resources } = get('kustomization.yaml') as unknown as { resources: string[] }
    const expected = [...manifests.keys()].filter(
      (file) => !/^(kustomization|secret\.example)\.yaml$/.test(file),
    )
    expect([...resources].sort()).toEqual(expected.sort())
    for (const file of resources) expect(get(file).metadata.name, file).toMatch(/^[a-z0-9-]+$/)
  })

  it("loads the ConfigMap's imagebot.yaml with the real loader, every env reference a key of the Secret", () => {
    const text = configMap.data!['imagebot.yaml']!
    for (const name of envNames(text)) expect(Object.keys(secret.stringData!)).toContain(name)
    const config = parseConfig(text, 'configmap.yaml', '/config', placeholders(envNames(text)))
    expect(config.stateDir).toBe('/state')
    expect(config.server.host).toBe('0.0.0.0')
    expect(container.ports.map((port) => port.containerPort)).toContain(config.server.port)
  })

  it('starts imagebot with the mounted ConfigMap, the Secret as env and an HTTP port', () => {
    expect(deployment.spec!.replicas).toBe(1)
    expect(container.args[0]).toBe('start')
    const configPath = flagValue(container.args, '--config')!
    const mount = container.volumeMounts.find((m) => configPath.startsWith(`${m.mountPath}/`))
    const volume = pod.volumes.find((v) => v.name === mount?.name)
    expect(volume?.configMap?.name).toBe(configMap.metadata.name)
    expect(Object.keys(configMap.data!)).toContain(configPath.slice(mount!.mountPath.length + 1))
    expect(flagValue(container.args, '--listen')).toBe('0.0.0.0:8080')
    expect(container.envFrom.map((from) => from.secretRef?.name)).toContain(secret.metadata.name)
  })

  it('probes /healthz and /readyz on the port the Service targets', () => {
    expect(container.livenessProbe.httpGet.path).toBe('/healthz')
    expect(container.startupProbe.httpGet.path).toBe('/healthz')
    expect(container.readinessProbe.httpGet.path).toBe('/readyz')
    const probePorts = [container.livenessProbe, container.readinessProbe, container.startupProbe]
    for (const probe of probePorts) expect(container.ports.map((p) => p.name)).toContain(probe.httpGet.port)
    expect(get('service.yaml').spec!.ports).toEqual([
      expect.objectContaining({ name: 'http', targetPort: 'http' }),
    ])
  })

  it('runs as non-root on a read-only root filesystem with /state and /tmp writable', () => {
    expect(pod.securityContext.runAsNonRoot).toBe(true)
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    })
    for (const path of ['/state', '/tmp']) {
      const mount = container.volumeMounts.find((m) => m.mountPath === path)
      expect(pod.volumes.find((v) => v.name === mount?.name)?.emptyDir, path).toBeDefined()
    }
  })
})

describe('Dockerfile', async () => {
  // Continuation lines joined, comments dropped: one instruction per entry.
  const lines = (await read('Dockerfile'))
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
  const instructions = (keyword: string) =>
    lines
      .filter((line) => line.startsWith(`${keyword} `))
      .map((line) => line.slice(keyword.length + 1).trim())
  const execForm = (keyword: string) => JSON.parse(instructions(keyword).at(-1) ?? 'null') as string[]

  // The stages in order, each with its own instructions (a stage starts at FROM).
  const stages = lines.reduce<string[][]>((all, line) => {
    if (line.startsWith('FROM ')) all.push([])
    all.at(-1)?.push(line)
    return all
  }, [])
  const image = stages.at(-1) ?? []
  const build = stages.find((stage) => / AS build$/.test(stage[0] ?? '')) ?? []
  const copiedIn = (stage: string[]) =>
    args(stage, 'COPY').flatMap((line) =>
      line
        .split(/\s+/)
        .filter((word) => !word.startsWith('--'))
        .slice(0, -1),
    )

  it('builds in a node 20 stage and ships a node 20 slim image with production dependencies only', () => {
    expect(instructions('FROM')).toEqual(['node:20-bookworm-slim AS build', 'node:20-bookworm-slim'])
    expect(args(build, 'RUN').join('\n')).toMatch(/npm run build/)
    expect(args(image, 'RUN').join('\n')).toMatch(/npm ci --omit=dev --ignore-scripts/)
    expect(args(image, 'COPY')).toContain('--from=build /build/dist/ ./dist/')
    expect(instructions('USER').at(-1)).not.toMatch(/^(root|0)$/)
    expect(instructions('EXPOSE')).toEqual(['8080'])
    expect(instructions('HEALTHCHECK').join()).toMatch(/fetch\('http:\/\/127\.0\.0\.1:8080\/healthz'\)/)
  })

  it('enters through bin/imagebot.js and starts with /config/imagebot.yaml on :8080', () => {
    expect(execForm('ENTRYPOINT')).toEqual(['node', 'bin/imagebot.js'])
    const command = execForm('CMD')
    expect(command[0]).toBe('start')
    expect(flagValue(command, '--config')).toBe('/config/imagebot.yaml')
    expect(flagValue(command, '--listen')).toBe('0.0.0.0:8080')
  })

  it('copies paths that exist and that .dockerignore keeps', async () => {
    const ignored = (await read('.dockerignore')).split('\n').filter((line) => line && !line.startsWith('#'))
    const sources = [...copiedIn(build), ...copiedIn(image).filter((source) => !source.startsWith('/build/'))]
    expect(sources).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'bin/', 'src/']))
    for (const source of sources) {
      expect(existsSync(join(ROOT, source)), source).toBe(true)
      expect(ignored, source).not.toContain(source.replace(/\/$/, ''))
    }
  })

  it('builds every source folder the build emits, and every package the emitted code imports is a runtime dependency', async () => {
    const { dependencies } = JSON.parse(await read('package.json')) as {
      dependencies: Record<string, string>
    }
    // tsx compiles at start-up (about 2 s): the image runs the build output instead.
    expect(Object.keys(dependencies)).not.toContain('tsx')
    const emitted = (
      JSON.parse((await read('tsconfig.build.json')).replace(/^\s*\/\/.*$/gm, '')) as {
        include: string[]
      }
    ).include.filter((folder) => folder !== 'test/support') // the demo's servers: not in the image
    for (const folder of emitted) expect(copiedIn(build), folder).toContain(`${folder}/`)
    const graph = await importGraph(join(ROOT, 'src/cli/main.ts'), {
      dynamic: true,
      skip: (file) => relative(ROOT, file).startsWith('test/support/'),
    })
    expect(graph.files.size).toBeGreaterThan(20)
    for (const file of graph.files) {
      const path = relative(ROOT, file)
      expect(
        emitted.some((folder) => path.startsWith(`${folder}/`)),
        `${path} is not built into the image`,
      ).toBe(true)
    }
    for (const name of graph.packages) expect(Object.keys(dependencies), `package ${name}`).toContain(name)
  })
})

function args(stage: string[], keyword: string): string[] {
  return stage
    .filter((line) => line.startsWith(`${keyword} `))
    .map((line) => line.slice(keyword.length + 1).trim())
}
