import * as tf from '@tensorflow/tfjs';

/** Median wall time of batch-1 predictions after warm-up, in milliseconds. */
export async function measureLatency(model: tf.LayersModel, shape: [number, number, number], repeats: number): Promise<number> {
  const x = tf.zeros([1, ...shape]);
  try {
    const times: number[] = [];
    for (let i = 0; i < repeats + 3; i++) {
      const t0 = performance.now();
      const y = model.predict(x) as tf.Tensor;
      await y.data();
      y.dispose();
      if (i >= 3) times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const mid = times.length >> 1;
    return times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  } finally {
    x.dispose();
  }
}
