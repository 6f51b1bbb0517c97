// The editor validates *.nas.json and *.supernet.json with dist/*.schema.json (package.json's
// jsonValidation); the build writes them from the engine's registries.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildExperimentSchema } from '../../server/experiment/schema';
import { buildSupernetSchema } from '../../server/supernet/supernetSchema';

const dist = join(__dirname, '../../dist');

test("the build's schema files are the engine's schemas, maximums included", () => {
  const experiment = JSON.parse(readFileSync(join(dist, 'experiment.schema.json'), 'utf8'));
  assert.deepEqual(experiment, JSON.parse(JSON.stringify(buildExperimentSchema())));
  assert.deepEqual(JSON.parse(readFileSync(join(dist, 'supernet.schema.json'), 'utf8')), JSON.parse(JSON.stringify(buildSupernetSchema())));
  const regularizedEvolution = experiment.properties.strategy.oneOf.find((s: { title: string }) => s.title === 'Regularized evolution');
  assert.equal(regularizedEvolution.properties.population.maximum, 10000);
  assert.equal(experiment.properties.report.maxItems, 256);
});
