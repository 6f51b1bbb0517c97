// Every vector of ../shared/data/ofa/vectors.json (produced by OFA's own tutorial code) reproduced:
// feature encoding, predictor output, note10 latency and its LUT terms, tutorial-table FLOPs and the
// real network's FLOPs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { OfaMbv3Space, resolutionRange } from '../../../server/spaces/ofa/ofaMbv3Space';
import { networkMFlops } from '../../../server/spaces/ofa/mbv3Cost';
import { AccuracyPredictor } from '../../../server/ofa/accuracyPredictor';
import { LatencyTable } from '../../../server/ofa/latencyTable';
import { FlopsTable } from '../../../server/ofa/flopsTable';
import { analyticFlops } from '../../../server/ofa/efficiencyModel';
import type { OfaArch } from '../../../server/spaces/ofa/mbv3Network';
import { SKIP_MESSAGE, ofaFile } from './sharedData';

interface Vector {
  name: string;
  arch: OfaArch;
  feature: number[];
  pred_acc_float32_torch: number;
  note10_latency_ms: number;
  note10_lut_terms: [string, number][];
  flops_tutorial_table_M: number;
  flops_ofa_real_net_M: number;
}

const vectorsFile = ofaFile('vectors.json');
const skip = vectorsFile ? false : SKIP_MESSAGE;
const vectors: Vector[] = vectorsFile ? JSON.parse(readFileSync(vectorsFile, 'utf8')).vectors : [];
const space = new OfaMbv3Space();

test('the vectors cover the cases the README promises', { skip }, () => {
  assert.equal(vectors.length, 24);
  assert.ok(vectors.some((v) => v.name === 'notebook_arch_skipped_slots_changed'));
});

test('128-d feature is exactly OFA spec2feats', { skip }, () => {
  for (const v of vectors) assert.deepEqual(Array.from(space.encode(space.fromArch(v.arch))), v.feature, v.name);
});

test('predicted accuracy within 1e-5 of OFA (PyTorch float32)', { skip }, async () => {
  const predictor = await AccuracyPredictor.load(ofaFile('acc_predictor.json')!, space);
  const batch = predictor.predictMany(vectors.map((v) => space.fromArch(v.arch)));
  vectors.forEach((v, i) => {
    assert.ok(Math.abs(batch[i] - v.pred_acc_float32_torch) < 1e-5, `${v.name}: ${batch[i]} vs ${v.pred_acc_float32_torch}`);
    assert.equal(predictor.predict(space.fromArch(v.arch)), batch[i]);
  });
});

test('note10 latency: same LUT terms, sum within 1e-9, also through the compiled step-4 table', { skip }, async () => {
  const dir = ofaFile('note10')!;
  const table = await LatencyTable.load(dir);
  const lutSpace = new OfaMbv3Space({ resolutions: resolutionRange(160, 224, 4) });
  assert.deepEqual(table.resolutions, resolutionRange(160, 224, 4));
  const compiled = table.toAdditive(lutSpace);
  for (const v of vectors) {
    assert.deepEqual(table.terms(v.arch), v.note10_lut_terms, v.name);
    assert.ok(Math.abs(table.latency(v.arch) - v.note10_latency_ms) < 1e-9, v.name);
    assert.ok(Math.abs(compiled.cost(lutSpace.fromArch(v.arch)) - v.note10_latency_ms) < 1e-9, v.name);
  }
});

test('tutorial FLOPs table within 1e-6; analytic count equals the real network', { skip }, async () => {
  const table = await FlopsTable.load(ofaFile('flops_table.json')!);
  const compiled = table.toAdditive(space);
  const analytic = analyticFlops(space);
  for (const v of vectors) {
    const genome = space.fromArch(v.arch);
    assert.ok(Math.abs(table.flops(v.arch) - v.flops_tutorial_table_M) < 1e-6, v.name);
    assert.ok(Math.abs(compiled.cost(genome) - v.flops_tutorial_table_M) < 1e-6, v.name);
    assert.ok(Math.abs(networkMFlops(v.arch) - v.flops_ofa_real_net_M) < 1e-6, v.name);
    assert.ok(Math.abs(analytic.cost(genome) - v.flops_ofa_real_net_M) < 1e-6, v.name);
    assert.equal(space.flops(genome), networkMFlops(v.arch));
  }
});
