import { Rng } from '../core/rng';

/**
 * The batches of one epoch: the training indices in an order fixed by (seed, epoch), cut into
 * full batches (the last partial batch is dropped, so every batch splits evenly over workers).
 * Lazily yields index arrays: nothing but indices is copied.
 */
export function* epochBatches(train: Int32Array, batchSize: number, seed: number, epoch: number): Generator<Int32Array> {
  const order = Int32Array.from(new Rng(seed).fork(`epoch/${epoch}`).shuffle(Array.from(train)));
  for (let start = 0; start + batchSize <= order.length; start += batchSize) yield order.subarray(start, start + batchSize);
}

export function batchesPerEpoch(trainCount: number, batchSize: number): number {
  return Math.floor(trainCount / batchSize);
}
