import { test } from 'node:test';
import assert from 'node:assert/strict';
import { smoothEma } from '../../../webviews/progress/smoothing';
import { MAX_OVERLAID_CURVES, overlaidCurves, smoothedSeries } from '../../../webviews/progress/trialCurves';
import type { TrialRecord } from '../../../contract/runs';

const close = (actual: readonly number[], expected: readonly number[]) => {
  assert.equal(actual.length, expected.length);
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-12, `value ${i}: ${v} ≠ ${expected[i]}`));
};

test('EMA smoothing with debiasing, against a hand computation', () => {
  // weight 0.5 on [1, 2, 3]: biased averages 0.5, 1.25, 2.125 divided by 1 − 0.5^k (0.5, 0.75, 0.875).
  close(smoothEma([1, 2, 3], 0.5), [1, 5 / 3, 17 / 7]);
  // weight 0.6 (TensorBoard's default) on [4, 0]: 0.4·4 = 1.6 → 1.6/0.4 = 4; 0.6·1.6 = 0.96 → 0.96/0.64 = 1.5.
  close(smoothEma([4, 0], 0.6), [4, 1.5]);
  close(smoothEma([3, 1, 4, 1, 5], 0), [3, 1, 4, 1, 5]);
});

test('smoothing leaves constant series, non-finite values and empty series alone', () => {
  assert.deepEqual(smoothEma([2, 2, 2], 0.9), [2, 2, 2]);
  close(smoothEma([1, NaN, 3], 0.5).filter(Number.isFinite), [1, 7 / 3]);
  assert.ok(Number.isNaN(smoothEma([1, NaN, 3], 0.5)[1]));
  assert.deepEqual(smoothEma([], 0.5), []);
});

const trial = (n: number, curve?: TrialRecord['curve']): TrialRecord => ({ trial: n, key: `k${n}`, genome: [], arch: { space: 'layers' }, metrics: {}, feasible: true, cached: false, durationMs: 1, ...(curve ? { curve } : {}) });
const point = (epoch: number, loss: number) => ({ epoch, loss, accuracy: 0.5 });

test('overlaid curves: the selected trial first, then the newest, finished or training, at most six', () => {
  const finished = Array.from({ length: 10 }, (_, i) => trial(i, i === 4 ? undefined : [point(1, i)]));
  const running = new Map([[10, [point(1, 2)]], [3, [point(1, 9)]]]);
  const lines = overlaidCurves(finished, running, 1);
  assert.equal(lines.length, MAX_OVERLAID_CURVES);
  assert.deepEqual(lines.map((l) => l.trial), [1, 10, 9, 8, 7, 6]);
  assert.equal(lines[1].running, true);
  assert.deepEqual(overlaidCurves(finished, new Map(), 4).map((l) => l.trial)[0], 9, 'a selected trial without a curve adds nothing');
  assert.equal(overlaidCurves(finished, running, undefined).find((l) => l.trial === 3), undefined, 'a finished curve wins over a stale running one');
  close(smoothedSeries([point(1, 1), point(2, 2), point(3, 3)], (p) => p.loss, 0.5).map((p) => p[1]), [1, 5 / 3, 17 / 7]);
});
