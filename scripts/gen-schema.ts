// Writes schema/imagebot.schema.json from the zod schema: `npx tsx scripts/gen-schema.ts`.
// src/config/json-schema.test.ts fails when the committed file is out of date.
import { writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { configJsonSchemaText, JSON_SCHEMA_PATH } from '../src/config/json-schema.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
await writeFile(join(root, JSON_SCHEMA_PATH), configJsonSchemaText())
console.log(`wrote ${JSON_SCHEMA_PATH}`)
