// Writes schema/llm-eval.schema.json from the built package (run by `npm run build`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { shippedConfigSchema } = await import(path.join(root, 'dist/config/shippedSchema.js'));
mkdirSync(path.join(root, 'schema'), { recursive: true });
writeFileSync(path.join(root, 'schema/llm-eval.schema.json'), JSON.stringify(shippedConfigSchema(), null, 2) + '\n');
