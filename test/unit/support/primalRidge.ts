/**
 * Ridge regression from scratch, the independent reference of the incremental model:
 * w = (XᵀX + λI)⁻¹ Xᵀ(y - ȳ), b = ȳ, by Gauss-Jordan elimination with partial pivoting.
 */
export function primalRidge(x: readonly (readonly number[])[], y: readonly number[], lambda: number): { w: number[]; b: number } {
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

export function predictWith(model: { w: readonly number[]; b: number }, x: ArrayLike<number>): number {
  let sum = model.b;
  for (let k = 0; k < model.w.length; k++) sum += model.w[k] * x[k];
  return sum;
}
