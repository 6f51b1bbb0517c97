import { DataError } from '../core/errors';
import { Rng } from '../core/rng';

/** Example indices of a dataset's training split: what trains and what is held out. */
export interface DataSplit {
  readonly train: Int32Array;
  readonly validation: Int32Array;
}

/**
 * Holds out `validation` examples (a count, or a fraction when below 1) for validation and keeps
 * up to `trainLimit` of the rest for training, from one seeded permutation: the same seed always
 * gives the same split, so a resumed run or a later search sees the same validation examples.
 */
export function splitTrainValidation(count: number, validation: number, seed: number, trainLimit?: number): DataSplit {
  const held = validation < 1 ? Math.round(validation * count) : Math.floor(validation);
  if (held < 1 || held >= count) throw new DataError(`cannot hold out ${held} of ${count} training examples for validation`);
  const order = new Rng(seed).fork('split').shuffle(Array.from({ length: count }, (_, i) => i));
  const trainCount = Math.min(count - held, trainLimit ?? Infinity);
  return { validation: Int32Array.from(order.slice(0, held)), train: Int32Array.from(order.slice(held, held + trainCount)) };
}
