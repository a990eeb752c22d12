// The JSON Schema editors use to complete and check imagebot.yaml, generated from the zod schema (its input
// side: what a user writes) so the two cannot disagree. scripts/gen-schema.ts writes it to schema/.
import * as z from 'zod'
import { configSchema } from './schema.js'

export const JSON_SCHEMA_PATH = 'schema/imagebot.schema.json'

export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'throw' })
  return { ...schema, title: 'imagebot.yaml', description: 'imagebot configuration file' }
}

/** The file's exact text, so a test can compare the committed file byte for byte. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`
}
