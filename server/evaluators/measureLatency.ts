import * as tf from '@tensorflow/tfjs';
import { robustLatency } from '../ofa/robustLatency';
import { timeForward } from '../runtime/forwardTiming';

/** Warm-up predictions before the timed ones. */
const WARMUP = 3;

/**
 * A model's batch-1 latency in milliseconds, taken as latency tables take their layers' (the same
 * clock and low quantile, server/runtime/forwardTiming.ts), so a trial's or a derived network's
 * latency compares with what a table predicts for it.
 */
export function measureLatency(model: tf.LayersModel, shape: [number, number, number], repeats: number): number {
  const x = tf.zeros([1, ...shape]);
  try {
    return robustLatency(timeForward(() => model.predict(x) as tf.Tensor, WARMUP, repeats));
  } finally {
    x.dispose();
  }
}
