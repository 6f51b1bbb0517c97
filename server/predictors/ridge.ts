/**
 * Ridge regression, y ≈ w·x + b, minimizing |Xw + b - y|² + lambda |w|², with b the mean of y,
 * over a training set that grows and shrinks one sample at a time. In primal form
 * w = A⁻¹ (Xᵀy - b Xᵀ1) with A = XᵀX + lambda I; the model keeps the Cholesky factor of A
 * and the sums Xᵀy, Xᵀ1, Σy, so adding or removing a sample is a rank-one update or downdate
 * of the factor: O(d²) for d features, whatever the number of samples. The weights are solved
 * (two triangular solves, O(d²)) only when a prediction needs them after a change.
 */
export class IncrementalRidge {
  /** Lower-triangular L (row-major d×d) with L Lᵀ = XᵀX + lambda I. */
  private readonly factor: Float64Array;
  private readonly sumXY: Float64Array;
  private readonly sumX: Float64Array;
  /** Training samples in which each feature is non-zero. */
  private readonly support: Int32Array;
  private sumY = 0;
  private count = 0;
  private readonly weights: Float64Array;
  private intercept = 0;
  private solved = true;
  /** Scratch vector of the rank-one updates and solves. */
  private readonly work: Float64Array;

  constructor(
    readonly dimension: number,
    readonly lambda: number,
  ) {
    if (!(lambda > 0) || !Number.isFinite(lambda)) throw new RangeError(`ridge lambda must be a positive number, got ${lambda}`);
    if (!Number.isInteger(dimension) || dimension < 0) throw new RangeError(`ridge dimension must be a non-negative integer, got ${dimension}`);
    this.factor = new Float64Array(dimension * dimension);
    for (let k = 0; k < dimension; k++) this.factor[k * dimension + k] = Math.sqrt(lambda);
    this.sumXY = new Float64Array(dimension);
    this.sumX = new Float64Array(dimension);
    this.support = new Int32Array(dimension);
    this.weights = new Float64Array(dimension);
    this.work = new Float64Array(dimension);
  }

  /** Number of samples in the training set. */
  get size(): number {
    return this.count;
  }

  add(x: ArrayLike<number>, y: number): void {
    this.change(x, y, +1);
  }

  /** Removes a sample that was added (the same features and target). */
  remove(x: ArrayLike<number>, y: number): void {
    if (this.count === 0) throw new RangeError('ridge: removing a sample from an empty training set');
    this.change(x, y, -1);
  }

  predict(x: ArrayLike<number>): number {
    this.checkDimension(x);
    if (!this.solved) this.solve();
    let sum = this.intercept;
    for (let k = 0; k < this.dimension; k++) sum += this.weights[k] * x[k];
    return sum;
  }

  private checkDimension(x: ArrayLike<number>): void {
    if (x.length !== this.dimension) throw new RangeError(`ridge: expected ${this.dimension} features, got ${x.length}`);
  }

  private change(x: ArrayLike<number>, y: number, sign: 1 | -1): void {
    this.checkDimension(x);
    if (!Number.isFinite(y)) throw new RangeError(`ridge: target must be finite, got ${y}`);
    for (let k = 0; k < this.dimension; k++) {
      this.sumXY[k] += sign * x[k] * y;
      this.sumX[k] += sign * x[k];
      if (x[k] !== 0) this.support[k] += sign;
    }
    this.sumY += sign * y;
    this.count += sign;
    this.rankOne(x, sign);
    this.solved = false;
  }

  /**
   * L Lᵀ ± x xᵀ by a sweep of (hyperbolic, for a downdate) rotations (Golub & Van Loan, §6.5.4).
   * A downdate keeps A ⪰ lambda I, so the new diagonal stays positive; a guard turns the
   * impossible into an error instead of NaN weights.
   */
  private rankOne(x: ArrayLike<number>, sign: 1 | -1): void {
    const d = this.dimension;
    const L = this.factor;
    const v = this.work;
    for (let k = 0; k < d; k++) v[k] = x[k];
    for (let k = 0; k < d; k++) {
      if (v[k] === 0) continue; // the rotation would be the identity
      const diagonal = L[k * d + k];
      const squared = diagonal * diagonal + sign * v[k] * v[k];
      if (!(squared > 0)) throw new RangeError('ridge: downdate of a sample that is not in the training set');
      const r = Math.sqrt(squared);
      const c = r / diagonal;
      const s = v[k] / diagonal;
      L[k * d + k] = r;
      for (let i = k + 1; i < d; i++) {
        const updated = (L[i * d + k] + sign * s * v[i]) / c;
        v[i] = c * v[i] - s * updated;
        L[i * d + k] = updated;
      }
    }
  }

  /**
   * w = L⁻ᵀ L⁻¹ (Xᵀy - ȳ Xᵀ1), b = ȳ; an empty training set predicts 0. A feature that is zero in
   * every training sample has weight exactly 0 (w lies in the span of the samples); setting it so
   * removes the rounding left in the factor by samples that came and went, which keeps
   * candidates that differ only in such features exactly tied.
   */
  private solve(): void {
    const d = this.dimension;
    const L = this.factor;
    const z = this.work;
    this.intercept = this.count > 0 ? this.sumY / this.count : 0;
    for (let i = 0; i < d; i++) {
      let sum = this.count > 0 ? this.sumXY[i] - this.intercept * this.sumX[i] : 0;
      for (let k = 0; k < i; k++) sum -= L[i * d + k] * z[k];
      z[i] = sum / L[i * d + i];
    }
    for (let i = d - 1; i >= 0; i--) {
      let sum = z[i];
      for (let k = i + 1; k < d; k++) sum -= L[k * d + i] * this.weights[k];
      this.weights[i] = this.support[i] > 0 ? sum / L[i * d + i] : 0;
    }
    this.solved = true;
  }
}
