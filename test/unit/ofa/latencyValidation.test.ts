import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CORRECTION_FILE, correctedPrediction, fitCorrection, tableTerms } from '../../../server/ofa/latencyCorrection';
import { LatencyTable, writeLut } from '../../../server/ofa/latencyTable';
import { fidelity, measureNetworkAndLayers, randomNetworks, validationFile, validationReport } from '../../../server/ofa/latencyValidation';
import { validationFileCheck } from '../../../contract/latencyValidation';
import { validate } from '../../../contract/validate';
import { lutLayers } from '../../../server/ofa/lutMeasurement';
import { layerOp, networkOp } from '../../../server/ofa/mbv3Ops';
import { initBackend } from '../../../server/runtime/backend';
import { lutKey, networkLayers, BLOCK_COUNT, isBlockActive } from '../../../server/spaces/ofa/mbv3Network';
import { DataError } from '../../../server/core/errors';
import { hashString } from '../../../server/core/rng';

test('fidelity: share within ±10 % and mean absolute percentage error, as counted by hand', () => {
  // Errors 5 %, 10 %, 20 %, 50 %: two within ±10 %, mean 21.25 %.
  const f = fidelity([10.5, 9, 12, 15], [10, 10, 10, 10]);
  assert.equal(f.within10, 0.5);
  assert.ok(Math.abs(f.mape - 0.2125) < 1e-12);
});

test("the correction is recovered from networks whose latency follows it (up to its slight pull towards the plain sum)", () => {
  const truth = { intercept: 1.5, fixedScale: 0.8, blockScale: 1.2, blockOverhead: -0.05 };
  const samples = randomNetworks(40, 3, [160, 224]).map((arch) => {
    const terms = tableTerms(arch, (r, key) => (hashString(key) % 1000) / 200 + r / 50);
    return { terms, measured: correctedPrediction({ ...truth, networks: 0 }, terms) };
  });
  const fitted = fitCorrection(samples);
  for (const k of Object.keys(truth) as (keyof typeof truth)[]) assert.ok(Math.abs(fitted[k] - truth[k]) < 0.02, `${k}: ${fitted[k]} vs ${truth[k]}`);
  assert.equal(fitted.networks, 40);
});

test('random networks are valid sub-networks, the same for a seed; table terms split fixed layers and active blocks', () => {
  const a = randomNetworks(20, 7, [160, 176]);
  assert.deepEqual(a, randomNetworks(20, 7, [160, 176]));
  assert.notDeepEqual(a, randomNetworks(20, 8, [160, 176]));
  for (const arch of a) {
    assert.ok([160, 176].includes(arch.r));
    const entry = (_r: number, key: string) => (key.startsWith('expanded_conv') ? 1 : 100);
    const terms = tableTerms(arch, entry);
    const active = Array.from({ length: BLOCK_COUNT }, (_, i) => i).filter((i) => isBlockActive(arch.d, i)).length;
    assert.equal(terms.count, active);
    assert.equal(terms.blocks, active);
    // Stem, Conv_1, AvgPool, Conv_2, Logits at 100 each, the first (fixed) block at 1.
    assert.equal(terms.fixed, 501);
  }
});

test("a table folder's correction applies to its predictions; a malformed one is a DataError naming the file", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lut-correction-'));
  await writeLut(dir, 160, new Map(lutLayers(160).map((l) => [lutKey(l), { mean: 0.5 }])));
  const [arch] = randomNetworks(1, 1, [160]);
  const plain = await LatencyTable.load(dir);
  assert.equal(plain.latency(arch), networkLayers(arch).length * 0.5);
  const correction = { intercept: 2, fixedScale: 1.1, blockScale: 0.9, blockOverhead: 0.01, networks: 30 };
  writeFileSync(join(dir, CORRECTION_FILE), JSON.stringify(correction));
  const corrected = await LatencyTable.load(dir);
  const terms = tableTerms(arch, () => 0.5);
  assert.ok(Math.abs(corrected.latency(arch) - (2 + 1.1 * terms.fixed + 0.9 * terms.blocks + 0.01 * terms.count)) < 1e-12);
  writeFileSync(join(dir, CORRECTION_FILE), JSON.stringify({ ...correction, blockScale: 'x' }));
  await assert.rejects(LatencyTable.load(dir), (e: Error) => e instanceof DataError && e.message.includes(CORRECTION_FILE) && e.message.includes("'blockScale' must be a finite number"));
});

test('a whole network runs its layers in sequence, image in, 1000 logits out', async () => {
  await initBackend('wasm');
  const [arch] = randomNetworks(1, 5, [64]);
  const op = networkOp(arch);
  const x = tf.randomNormal(op.inputShape);
  const y = tf.tidy(() => op.apply(x));
  assert.deepEqual(y.shape, [1, 1000]);
  assert.deepEqual(op.inputShape, [1, 64, 64, 3]);
  const last = networkLayers(arch).at(-1)!;
  assert.deepEqual(layerOp(last).inputShape, [1, 1536]);
  tf.dispose([x, y]);
  op.dispose();
});

test("each network's own layers are timed with it; the report compares their sums too, and validation.json reads back through the view's check", async () => {
  await initBackend('wasm');
  const [arch] = randomNetworks(1, 2, [64]);
  const timed = measureNetworkAndLayers(arch, { repeats: 2, warmup: 1 });
  assert.ok(timed.measured > 0 && timed.layerSum! > 0);
  assert.equal(measureNetworkAndLayers(arch, { repeats: 1, warmup: 0, layers: false }).layerSum, undefined);

  const terms = { blocks: 8, count: 4, fixed: 2 };
  const networks = [10, 10, 10, 10].map((measured, i) => ({ arch, terms, predicted: 10, measured, layerSum: [10.5, 9, 12, 15][i] }));
  const report = validationReport(networks);
  // Same errors as the fidelity test: 5 %, 10 %, 20 %, 50 %.
  assert.equal(report.layerSums!.within10, 0.5);
  assert.ok(Math.abs(report.layerSums!.mape - 0.2125) < 1e-12);
  assert.equal(validationReport(networks.map(({ layerSum: _, ...n }) => n)).layerSums, undefined, 'device measurements have no layer sums');
  const file = JSON.parse(JSON.stringify(validationFile(report, '/tables', 'wasm')));
  const checked = validate(validationFileCheck, file);
  assert.ok(checked.ok, checked.ok ? '' : checked.error);
  assert.deepEqual(checked.value.networks.map((n) => n.layerSum), [10.5, 9, 12, 15]);
  assert.deepEqual(checked.value.layerSums, report.layerSums);
});
