// VS Code reads dist/*.schema.json for *.nas.json, *.supernet.json, *.quantize.json, ... (package.json's
// jsonValidation): guidance only — every property, description and suggested value of the
// engine's schemas, but nothing VS Code could reject, so each problem is reported once, by the engine.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv';
import { SPEC_FILE_KINDS } from '../../contract/protocol';
import { editorSchema } from '../../server/core/editorSchema';
import { buildExperimentSchema } from '../../server/experiment/schema';
import { buildQuantizationSchema } from '../../server/quantize/quantizationSpec';
import { buildSupernetSchema } from '../../server/supernet/supernetSchema';

const dist = join(__dirname, '../../dist');
const examples = join(__dirname, '../../examples');
const read = (name: string) => JSON.parse(readFileSync(join(dist, name), 'utf8'));

test("the build's schema files are the engine's schemas as editor guidance", () => {
  assert.deepEqual(read('experiment.schema.json'), JSON.parse(JSON.stringify(editorSchema(buildExperimentSchema()))));
  assert.deepEqual(read('supernet.schema.json'), JSON.parse(JSON.stringify(editorSchema(buildSupernetSchema()))));
  assert.deepEqual(read('quantization.schema.json'), JSON.parse(JSON.stringify(editorSchema(buildQuantizationSchema()))));
});

test('package.json gives every spec file kind its schema file, and the build writes each one', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
  const validation: { fileMatch: string; url: string }[] = pkg.contributes.jsonValidation;
  for (const { suffix } of SPEC_FILE_KINDS) {
    const entry = validation.find((v) => v.fileMatch === `*${suffix}`);
    assert.ok(entry, `no jsonValidation for *${suffix}`);
    assert.ok(existsSync(join(dist, '..', entry.url)), `${entry.url} was not built`);
    assert.ok(pkg.activationEvents.includes(`workspaceContains:**/*${suffix}`), `no activation event for *${suffix}`);
  }
});

test('the quantization schema completes and explains: quantizer and budget with their values, the model types', () => {
  const schema = read('quantization.schema.json');
  assert.deepEqual(schema.properties.quantizer.examples, ['linear', 'kmeans']);
  assert.match(schema.properties.budget.description, /size:FRACTION/);
  assert.match(schema.properties.activationBits.description, /Linear only/);
  assert.deepEqual(schema.properties.model.properties.type.examples, ['folder', 'trial']);
  const folder = schema.properties.model.allOf.find((b: { if: { properties: { type: { const: string } } } }) => b.if.properties.type.const === 'folder');
  assert.match(folder.then.properties.dir.description, /TF\.js Layers model folder/);
});

test('the editor schema keeps completions and hovers: properties with descriptions, per-type options, enum values as suggestions', () => {
  const schema = read('experiment.schema.json');
  assert.match(schema.properties.budget.properties.trials.description, /Architectures to evaluate/);
  assert.deepEqual(schema.properties.objectives.items.properties.goal.examples, ['maximize', 'minimize']);
  assert.ok(schema.properties.strategy.properties.type.examples.includes('regularized-evolution'));
  const branch = schema.properties.strategy.allOf.find((b: { if: { properties: { type: { const: string } } } }) => b.if.properties.type.const === 'regularized-evolution');
  assert.match(branch.then.properties.population.description, /.+/);
});

test('nothing in a spec file, however wrong, fails the editor schema (the engine reports it once)', () => {
  const ajv = new Ajv({ strict: false });
  const validate = ajv.compile(read('experiment.schema.json'));
  for (const wrong of [
    { space: { type: 'layerz' }, budget: { trials: -3 }, objectives: 'val_accuracy', unknownKey: 1 },
    { strategy: { type: 'regularized-evolution', populaton: 8, population: 'many' }, evaluator: { type: 'train', epochs: 0 } },
    [],
    42,
  ]) {
    assert.ok(validate(wrong), JSON.stringify(validate.errors));
  }
});

test('the examples name no schema path of their own: copied anywhere, package.json associates them', () => {
  for (const file of readdirSync(examples).filter((f) => f.endsWith('.json'))) {
    assert.equal(JSON.parse(readFileSync(join(examples, file), 'utf8')).$schema, undefined, file);
  }
});
