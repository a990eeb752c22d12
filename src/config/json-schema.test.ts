import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
// ajv arrives with fastify; it stands in for the editor's validator here.
import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { configJsonSchema, configJsonSchemaText, JSON_SCHEMA_PATH } from './json-schema.js'
import { parseConfig } from './load.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const exampleEnv = {
  GIT_TOKEN: 't',
  REG_PASSWORD: 'p',
  GHCR_TOKEN: 'g',
  WEBHOOK_TOKEN: 'w'.repeat(32),
  IMAGEBOT_SIGNING_KEY: 'armored key',
  IMAGEBOT_SIGNING_PASSPHRASE: 'pass',
  HOME: '/home/u',
}

describe('JSON Schema for editors', () => {
  it('the committed schema file equals the generated one (run: npx tsx scripts/gen-schema.ts)', async () => {
    const committed = await readFile(join(root, JSON_SCHEMA_PATH), 'utf8')
    expect(committed).toBe(configJsonSchemaText())
  })

  it('accepts the example config, which also loads', async () => {
    const text = await readFile(join(root, 'imagebot.example.yaml'), 'utf8')
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./schema/imagebot.schema.json')
    const validate = new Ajv2020({ strict: false }).compile(configJsonSchema())
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true)
    const config = parseConfig(text, 'imagebot.example.yaml', root, exampleEnv)
    expect(config.repositories[0]?.auth).toEqual({ username: 'x-access-token', password: 't' })
    expect(config.registries.map((registry) => registry.host)).toEqual([
      'docker.io',
      'ghcr.io',
      'registry.internal:5000',
    ])
    expect(config.registries[1]?.intervalMs).toBe(60_000)
    expect(config.dockerConfig).toBe('/home/u/.docker/config.json')
    expect(config.repositories[0]?.commit.signingKey).toEqual({ key: 'armored key', passphrase: 'pass' })
    expect(config.scan.excludeImages).toEqual(['k8s.gcr.io/*'])
  })

  it('flags what the loader flags: unknown keys, bad durations, wrong types', () => {
    const validate = new Ajv2020({ strict: false }).compile(configJsonSchema())
    expect(validate({ scan: { interval: '5 minutes' } })).toBe(false)
    expect(validate({ repositories: [{ url: 'https://g/r.git', brnach: 'main' }] })).toBe(false)
    expect(validate({ registries: [{ host: 'ghcr.io', rateLimit: { rps: 'x' } }] })).toBe(false)
    expect(validate({ update: { coalesce: 0 }, scan: { interval: '1h30m' } })).toBe(true)
  })
})
