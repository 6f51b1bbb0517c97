import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../server/core/rng';
import { RidgeRegression, solveSymmetricPositiveDefinite } from '../../server/predictors/ridge';

/** Primal ridge by Gauss-Jordan elimination: w = (XᵀX + λI)⁻¹ Xᵀ(y - ȳ). Independent of the dual Cholesky path. */
function primalRidge(x: number[][], y: number[], lambda: number): { w: number[]; b: number } {
  const d = x[0].length;
  const b = y.reduce((s, v) => s + v, 0) / y.length;
  const m = Array.from({ length: d }, (_, i) => [
    ...Array.from({ length: d }, (_, j) => x.reduce((s, row) => s + row[i] * row[j], 0) + (i === j ? lambda : 0)),
    x.reduce((s, row, n) => s + row[i] * (y[n] - b), 0),
  ]);
  for (let c = 0; c < d; c++) {
    const pivot = m.slice(c).reduce((best, row, k) => (Math.abs(row[c]) > Math.abs(m[best][c]) ? k + c : best), c);
    [m[c], m[pivot]] = [m[pivot], m[c]];
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= d; k++) m[r][k] -= f * m[c][k];
    }
  }
  return { w: m.map((row, i) => row[d] / row[i]), b };
}

test('ridge predictions equal the primal normal-equation solution', () => {
  const rng = new Rng(21);
  for (const [n, d] of [[12, 5], [5, 12], [40, 30]]) {
    const x: number[][] = Array.from({ length: n }, () => Array.from({ length: d }, () => (rng.next() < 0.3 ? 1 : 0)));
    const y = x.map((row) => row.reduce((s, v, k) => s + v * (k - d / 2), 0) + rng.normal());
    const model = new RidgeRegression(0.7);
    model.fit(x.map((r) => Float32Array.from(r)), y);
    const { w, b } = primalRidge(x, y, 0.7);
    for (let t = 0; t < 10; t++) {
      const probe = Array.from({ length: d }, () => rng.next());
      const expected = probe.reduce((s, v, k) => s + v * w[k], b);
      assert.ok(Math.abs(model.predict(Float32Array.from(probe)) - expected) < 1e-4, `n=${n} d=${d}`);
    }
  }
});

test('Cholesky solve of a hand-made system', () => {
  // [[4, 2], [2, 3]] x = [2, 5]  ->  x = [-0.5, 2]
  const x = solveSymmetricPositiveDefinite(Float64Array.of(4, 2, 2, 3), Float64Array.of(2, 5), 2);
  assert.ok(Math.abs(x[0] + 0.5) < 1e-12 && Math.abs(x[1] - 2) < 1e-12);
  assert.throws(() => new RidgeRegression(0), /positive/);
});
