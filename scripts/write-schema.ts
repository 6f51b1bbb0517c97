// Build step (run by esbuild.mjs): writes the experiment JSON Schema that package.json's
// contributes.jsonValidation points VS Code at.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildExperimentSchema } from '../server/experiment/schema';

export function writeSchemaFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(buildExperimentSchema(), null, 2) + '\n');
}
