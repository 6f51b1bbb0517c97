// Issue 13: the quantizers against hand-computed examples (levels, clipping, codebook) and the
// reference's KL clipping threshold against numpy's result on the same data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../server/core/rng';
import { klThreshold, mseThreshold } from '../../../server/quantize/clipThreshold';
import { decodeCodebook, kmeans1d } from '../../../server/quantize/kmeans1d';
import { dequantize, quantizeKernel } from '../../../server/quantize/layerQuantization';
import { activationGrid, levelOf, weightGrid } from '../../../server/quantize/linearQuantizer';

test('linear weights at 5 bits: 15 levels each side of 0, step max|w| / 15, halves rounded to even', () => {
  const w = Float32Array.from([-7.5, -3.1, 0.25, 0.75, 2.2, 7.5]);
  const grid = weightGrid(w, 5, 'kl');
  assert.deepEqual(grid, { step: 0.5, maxLevel: 15, signed: true });
  // -15, -6.2 -> -6, 0.5 -> 0 (half to even), 1.5 -> 2, 4.4 -> 4, 15
  const q = quantizeKernel(w, 5, 'linear', 'kl', 'seed');
  assert.equal(q.kind, 'linear');
  assert.deepEqual(q.kind === 'linear' ? Array.from(q.levels) : [], [-15, -6, 0, 2, 4, 15]);
  assert.deepEqual(Array.from(dequantize(q)), [-7.5, -3, 0, 1, 2, 7.5]);
});

test('linear grids clip: values past the threshold take the outermost level; activations after a ReLU use 2^b - 1 levels from 0', () => {
  const grid = { step: 0.5, maxLevel: 3, signed: true };
  assert.deepEqual([5, -5, 1.4, -0.2].map((x) => levelOf(x, grid)), [3, -3, 3, -0]);
  const samples = Float32Array.from([0, 0.5, 1.25, 3.875]);
  const unsigned = activationGrid(samples, 5, 'kl');
  assert.equal(unsigned.signed, false);
  assert.equal(unsigned.maxLevel, 31);
  assert.equal(unsigned.step, 0.125);
  assert.equal(levelOf(1.5625, unsigned), 12, '12.5 rounds to the even 12');
  assert.equal(levelOf(-1, unsigned), 0, 'negative inputs clip to 0');
  const signed = activationGrid(Float32Array.from([-3, 0.5, 1.5]), 5, 'kl');
  assert.deepEqual({ ...signed, step: Number(signed.step.toFixed(6)) }, { step: 0.2, maxLevel: 15, signed: true }, 'negative inputs: 15 levels of magnitude');
});

test("the KL threshold is the reference's (_compute_threshold): numpy 2.4 on the same data gives these", () => {
  const n = 400;
  const lap = Float32Array.from({ length: n }, (_, i) => {
    const u = (i + 0.5) / n;
    return Math.sign(u - 0.5) * -Math.log(1 - 2 * Math.abs(u - 0.5)) * 0.1;
  });
  lap[7] = 2.0;
  const expected = [0.3333333432674408, 0.523809552192688, 0.9047619104385376];
  [2, 3, 4].forEach((bits, i) => assert.ok(Math.abs(klThreshold(lap, bits) - expected[i]) < 1e-6, `${bits} bits: ${klThreshold(lap, bits)} vs ${expected[i]}`));
  const act = Float32Array.from({ length: 1000 }, (_, i) => Math.max(0, Math.sin(i * 0.37) * 3 + Math.cos(i * 1.3)));
  const expectedAct = [3.9367284774780273, 4.061704158782959, 4.061704158782959];
  [2, 3, 4].forEach((bits, i) => assert.ok(Math.abs(klThreshold(act, bits) - expectedAct[i]) < 1e-5, `${bits} bits: ${klThreshold(act, bits)} vs ${expectedAct[i]}`));
  // Below 5 bits the weights' range is clipped at that threshold; from 5 bits on it is max |w|.
  assert.ok(Math.abs(weightGrid(lap, 3, 'kl').step - expected[1] / 3) < 1e-6);
  assert.equal(weightGrid(lap, 5, 'kl').step, 2 / 15);
});

test('the MSE threshold clips an outlier that would waste the levels, and keeps a range whose ends are both levels', () => {
  const ends = Float32Array.from({ length: 100 }, (_, i) => i % 2);
  assert.equal(mseThreshold(ends, 7, false), 1, 'only t = 1 puts both 0 and 1 on a level');
  // 60,000 values in [0, 1) and one at 5: 15 levels over [0, 5] cost ~0.0093 each, clipping at ~1 costs 16 once.
  const outlier = Float32Array.from({ length: 60001 }, (_, i) => (i === 60000 ? 5 : (i % 100) / 100));
  const t = mseThreshold(outlier, 15, false);
  assert.ok(t >= 0.95 && t <= 1.5, `clipped at ${t}`);
});

test('k-means: a codebook of 2^bits centroids; every weight becomes its centroid', () => {
  const values = Float32Array.from([0, 0.1, 0.2, 1.0, 1.1, 1.2]);
  const { centroids, labels } = kmeans1d(values, 2, new Rng(1));
  assert.deepEqual(Array.from(centroids).map((c) => Number(c.toFixed(6))), [0.1, 1.1]);
  assert.deepEqual(Array.from(labels), [0, 0, 0, 1, 1, 1]);
  const q = quantizeKernel(Float32Array.from([-1, -1, 0.5, 0.5, 0.5, 3]), 2, 'kmeans', 'kl', 'k');
  assert.equal(q.kind === 'kmeans' ? q.codebook.centroids.length : 0, 3, 'at most as many centroids as distinct weights');
  assert.deepEqual(Array.from(dequantize(q)), [-1, -1, 0.5, 0.5, 0.5, 3]);
  const many = Float32Array.from({ length: 500 }, (_, i) => Math.sin(i));
  const book = kmeans1d(many, 8, new Rng(2));
  assert.equal(book.centroids.length, 8);
  const decoded = decodeCodebook(book);
  // Each weight sits at its nearest centroid, and the same seed gives the same codebook.
  for (let i = 0; i < many.length; i++) {
    const best = Math.min(...Array.from(book.centroids, (c) => Math.abs(c - many[i])));
    assert.ok(Math.abs(Math.abs(decoded[i] - many[i]) - best) < 1e-6);
  }
  assert.deepEqual(kmeans1d(many, 8, new Rng(2)), book);
});
