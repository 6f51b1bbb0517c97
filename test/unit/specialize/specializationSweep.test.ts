import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sameAsText, subnetFileName, sweepRows, type SweepResult } from '../../../contract/specializationSweep';

const arch = (id: number) => ({ ks: [id], e: [6], d: [2], r: 224 });
const result = (limit: number, efficiency: number, predictedAccuracy: number, archId: number): SweepResult => ({ limit, efficiency, predictedAccuracy, arch: arch(archId) });

test('a 10-limit sweep: stars only on its Pareto set, plateaus say which smaller limit they repeat', () => {
  // 15…60 ms as a sweep returns them: 50 → 55 improves, 60 finds the 55 ms network again,
  // 45 finds another network exactly as good as 40's, 35 one that is worse than 30's.
  const sweep = [
    result(15, 14.8, 0.761, 1),
    result(20, 19.9, 0.772, 2),
    result(25, 24.1, 0.781, 3),
    result(30, 29.5, 0.79, 4),
    result(35, 34.0, 0.789, 5),
    result(40, 39.2, 0.795, 6),
    result(45, 39.2, 0.795, 7),
    result(50, 48.0, 0.8, 8),
    result(55, 54.3, 0.806, 9),
    result(60, 54.3, 0.806, 9),
  ];
  const rows = sweepRows(sweep);
  assert.deepEqual(rows.map((r) => r.pareto), [true, true, true, true, false, true, false, true, true, false]);
  assert.deepEqual(rows.map((r) => r.sameAs), [undefined, undefined, undefined, undefined, 30, undefined, 40, undefined, undefined, 55]);
  assert.deepEqual(rows.map((r) => sameAsText(r, 'ms')), [undefined, undefined, undefined, undefined, 'no better than ≤ 30 ms', undefined, 'no better than ≤ 40 ms', undefined, undefined, 'same as ≤ 55 ms']);
});

test('a plateau over several limits points at where it began; the order of the results is kept', () => {
  const rows = sweepRows([result(70, 54.3, 0.806, 9), result(55, 54.3, 0.806, 9), result(60, 54.3, 0.806, 9), result(50, 48, 0.8, 8)]);
  assert.deepEqual(rows.map((r) => r.subnet.limit), [70, 55, 60, 50]);
  assert.deepEqual(rows.map((r) => r.sameAs), [55, undefined, 55, undefined]);
  assert.deepEqual(rows.map((r) => r.pareto), [false, true, false, true]);
  assert.ok(rows[0].identical && rows[2].identical);
});

test('a result a larger limit beats on both counts is off the Pareto set without a "same as"', () => {
  const rows = sweepRows([result(30, 29, 0.78, 1), result(40, 28, 0.79, 2)]);
  assert.deepEqual(rows.map((r) => [r.pareto, r.sameAs]), [[false, undefined], [true, undefined]]);
  // One limit: its result is the Pareto set.
  assert.deepEqual(sweepRows([result(25, 24, 0.78, 1)]).map((r) => r.pareto), [true]);
});

test('exported files are named after the efficiency model and the limit, and never overwrite one another', () => {
  assert.equal(subnetFileName({ kind: 'lut', dir: '/data/ofa/note10' }, 60), 'ofa-note10-60ms.arch.json');
  assert.equal(subnetFileName({ kind: 'lut', dir: 'C:\\luts\\Pixel 3\\' }, 22.5), 'ofa-pixel-3-22.5ms.arch.json');
  assert.equal(subnetFileName({ kind: 'flops-table', path: '/data/flops_table.json' }, 300), 'ofa-flops-table-300mflops.arch.json');
  assert.equal(subnetFileName({ kind: 'flops' }, 400), 'ofa-flops-400mflops.arch.json');
  const existing = new Set(['ofa-note10-60ms.arch.json', 'ofa-note10-60ms-2.arch.json']);
  assert.equal(subnetFileName({ kind: 'lut', dir: '/data/ofa/note10' }, 60, (name) => existing.has(name)), 'ofa-note10-60ms-3.arch.json');
});
