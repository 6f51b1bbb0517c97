/** A batch norm whose running statistics calibration can set (for its active channels). */
export interface CalibratedNorm {
  setRunningStatistics(mean: Float32Array, variance: Float32Array): void;
}

interface Sums {
  rows: number;
  mean: Float64Array;
  square: Float64Array;
}

/**
 * Batch-norm recalibration of one sub-network (OFA's set_running_statistics): forward passes over
 * calibration batches normalise with each batch's own statistics and report them here; `commit`
 * then sets every batch norm's running mean and variance to the statistics of all calibration
 * examples together (pooled exactly: var = E[x^2] - mean^2 over every row seen).
 */
export class BnCalibration {
  private readonly sums = new Map<CalibratedNorm, Sums>();

  /** Moments [mean..., biased variance...] of one batch of `rows` rows. */
  add(norm: CalibratedNorm, moments: Float32Array, rows: number): void {
    const channels = moments.length / 2;
    let s = this.sums.get(norm);
    if (!s) this.sums.set(norm, (s = { rows: 0, mean: new Float64Array(channels), square: new Float64Array(channels) }));
    if (s.mean.length !== channels) throw new Error('a calibration saw one batch norm at two widths: calibrate one sub-network at a time');
    s.rows += rows;
    for (let c = 0; c < channels; c++) {
      const mean = moments[c];
      s.mean[c] += rows * mean;
      s.square[c] += rows * (moments[channels + c] + mean * mean);
    }
  }

  commit(): void {
    for (const [norm, s] of this.sums) {
      const mean = Float32Array.from(s.mean, (v) => v / s.rows);
      const variance = Float32Array.from(s.square, (v, c) => Math.max(v / s.rows - (s.mean[c] / s.rows) ** 2, 0));
      norm.setRunningStatistics(mean, variance);
    }
    this.sums.clear();
  }
}
