/**
 * Ridge regression, y ≈ w·x + b, minimizing |Xw + b - y|² + lambda |w|², with b the mean of
 * y. Solved in its dual form, alpha = (X Xᵀ + lambda I)⁻¹ (y - b) and w = Xᵀ alpha, which
 * costs O(n³ + n² d) for n samples of d features: with a few hundred evaluated architectures
 * this is a millisecond, so it can be refitted after every evaluation.
 */
export class RidgeRegression {
  private weights = new Float64Array(0);
  private intercept = 0;

  constructor(readonly lambda: number) {
    if (!(lambda > 0)) throw new RangeError(`ridge lambda must be positive, got ${lambda}`);
  }

  fit(inputs: readonly Float32Array[], targets: readonly number[]): void {
    const n = inputs.length;
    const d = n > 0 ? inputs[0].length : 0;
    this.intercept = n > 0 ? targets.reduce((a, b) => a + b, 0) / n : 0;
    this.weights = new Float64Array(d);
    if (n === 0) return;
    const gram = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        const xi = inputs[i];
        const xj = inputs[j];
        let dot = 0;
        for (let k = 0; k < d; k++) dot += xi[k] * xj[k];
        gram[i * n + j] = dot;
        gram[j * n + i] = dot;
      }
      gram[i * n + i] += this.lambda;
    }
    const alpha = solveSymmetricPositiveDefinite(
      gram,
      Float64Array.from(targets, (t) => t - this.intercept),
      n,
    );
    for (let i = 0; i < n; i++) {
      const x = inputs[i];
      for (let k = 0; k < d; k++) this.weights[k] += alpha[i] * x[k];
    }
  }

  predict(x: Float32Array): number {
    let sum = this.intercept;
    for (let k = 0; k < this.weights.length; k++) sum += this.weights[k] * x[k];
    return sum;
  }
}

/** Solves A x = b for symmetric positive definite A (row-major n×n) by Cholesky; A and b are overwritten. */
export function solveSymmetricPositiveDefinite(a: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let j = 0; j < n; j++) {
    let diagonal = a[j * n + j];
    for (let k = 0; k < j; k++) diagonal -= a[j * n + k] * a[j * n + k];
    if (!(diagonal > 0)) throw new RangeError('matrix is not positive definite');
    const l = Math.sqrt(diagonal);
    a[j * n + j] = l;
    for (let i = j + 1; i < n; i++) {
      let sum = a[i * n + j];
      for (let k = 0; k < j; k++) sum -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = sum / l;
    }
  }
  for (let i = 0; i < n; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= a[i * n + k] * b[k];
    b[i] = sum / a[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let sum = b[i];
    for (let k = i + 1; k < n; k++) sum -= a[k * n + i] * b[k];
    b[i] = sum / a[i * n + i];
  }
  return b;
}
