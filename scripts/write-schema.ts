// Build step (run by esbuild.mjs): writes the JSON Schemas that package.json's
// contributes.jsonValidation points VS Code at: guidance only (completion, hovers), because the
// engine reports every problem itself (server/core/editorSchema.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildEnsembleSchema } from '../server/ensemble/ensembleSchema';
import { editorSchema } from '../server/core/editorSchema';
import { buildExperimentSchema } from '../server/experiment/schema';
import { buildProxylessSchema } from '../server/proxyless/proxylessSchema';
import { buildQuantizationSchema } from '../server/quantize/quantizationSpec';
import { buildScalingSchema } from '../server/scaling/scalingSchema';
import { buildSupernetSchema } from '../server/supernet/supernetSchema';

export function writeSchemaFiles(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'experiment.schema.json'), JSON.stringify(editorSchema(buildExperimentSchema()), null, 2) + '\n');
  writeFileSync(join(dir, 'supernet.schema.json'), JSON.stringify(editorSchema(buildSupernetSchema()), null, 2) + '\n');
  writeFileSync(join(dir, 'proxyless.schema.json'), JSON.stringify(editorSchema(buildProxylessSchema()), null, 2) + '\n');
  writeFileSync(join(dir, 'scaling.schema.json'), JSON.stringify(editorSchema(buildScalingSchema()), null, 2) + '\n');
  writeFileSync(join(dir, 'ensemble.schema.json'), JSON.stringify(editorSchema(buildEnsembleSchema()), null, 2) + '\n');
  writeFileSync(join(dir, 'quantization.schema.json'), JSON.stringify(editorSchema(buildQuantizationSchema()), null, 2) + '\n');
}
