/**
 * A trial's learning curve: what an evaluator that trains reports after each epoch, journaled as
 * `trial_epoch` records and shown by the progress view and the trials table.
 */

/** One epoch of a trial's training: means over the epoch's batches, validation accuracy where it was computed. */
export interface EpochPoint {
  /** 1-based. */
  readonly epoch: number;
  /** Mean training loss over the epoch's batches. */
  readonly loss: number;
  /** Mean training accuracy over the epoch's batches, a fraction. */
  readonly accuracy: number;
  /** Validation accuracy after this epoch, a fraction (the train evaluator computes it after the last epoch only). */
  readonly valAccuracy?: number;
}

/**
 * The curve with a new point: an epoch at or before the last one starts the curve again (the
 * evaluation was interrupted and trained again from scratch).
 */
export function extendCurve(curve: readonly EpochPoint[], point: EpochPoint): EpochPoint[] {
  return [...curve.filter((p) => p.epoch < point.epoch), point];
}
