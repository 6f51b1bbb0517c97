import * as tf from '@tensorflow/tfjs';
import type { SharedMemoryReplicas } from './crossReplica';
import type { MomentumSgd } from './momentumSgd';

/**
 * One synchronous data-parallel update: `fill` writes this replica's gradient (all variables
 * concatenated, `gradientFloats` long) into its exchange slot, the replicas' gradients are summed
 * in rank order - identical bits on every replica, so replicas stay identical - and the average
 * is applied to `variables`.
 */
export function allReduceAndApply(replicas: SharedMemoryReplicas, gradientFloats: number, fill: (own: Float32Array) => void, variables: readonly tf.Variable[], optimizer: MomentumSgd): void {
  const { own, gather } = replicas.exchange(gradientFloats);
  fill(own);
  tf.tidy(() => {
    const sum = tf.addN(gather().map((slot) => tf.tensor1d(slot)));
    optimizer.apply(variables, { flat: sum, scale: 1 / replicas.size });
  });
}

/** Writes gradients (one per variable, in order) into a flat vector. */
export function writeGradients(own: Float32Array, grads: readonly tf.Tensor[]): void {
  let offset = 0;
  for (const g of grads) {
    own.set(g.dataSync() as Float32Array, offset);
    offset += g.size;
  }
}
