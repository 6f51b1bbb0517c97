/**
 * The images a quantization run measures on: held-out training examples (each policy's reward),
 * a training pool (activation calibration, fine-tuning) and the test split (the final accuracy,
 * once). Which examples are held out follows the model's own training when it is known.
 */
import { DataError } from '../core/errors';
import { Rng } from '../core/rng';
import { RAW_BYTES, UNIT_SCALE, type Normalization } from '../data/batchAssembly';
import { checkInputShape } from '../data/datasetFit';
import { splitTrainValidation } from '../data/dataSplit';
import { loadDataset } from '../data/datasetSpec';
import { checkLabels, type ImageDataset } from '../data/imageDataset';
import type { HeldOutSplit, InputScale } from './modelSource';
import type { QuantizationSpec } from './quantizationSpec';

export interface QuantizationData {
  readonly train: ImageDataset;
  readonly test?: ImageDataset;
  readonly normalization: Normalization;
  readonly heldOut: Int32Array;
  /** Training examples the model may have seen: calibration and fine-tuning draw from them. */
  readonly pool: Int32Array;
  readonly calibration: Int32Array;
  readonly testExamples: Int32Array;
}

export function normalizationOf(input: InputScale): Normalization {
  return input === 'bytes' ? RAW_BYTES : UNIT_SCALE;
}

/** Held-out and pool indices of a training split of `count` examples. */
export function splitExamples(split: HeldOutSplit, count: number, heldOutSamples: number, seed: number): { heldOut: Int32Array; pool: Int32Array } {
  switch (split.kind) {
    case 'trial': {
      // The training evaluator's split: new Rng(splitSeed).shuffle, training examples first.
      const order = new Rng(split.splitSeed).shuffle(Array.from({ length: count }, (_, i) => i));
      const validation = order.slice(split.trainSamples, split.trainSamples + split.validationSamples);
      return { heldOut: Int32Array.from(validation.slice(0, heldOutSamples)), pool: Int32Array.from(order.slice(0, split.trainSamples)) };
    }
    case 'supernet': {
      const { train, validation } = splitTrainValidation(count, split.validation, split.seed, split.trainSamples);
      return { heldOut: validation.slice(0, heldOutSamples), pool: train };
    }
    case 'seeded': {
      if (heldOutSamples >= count) throw new DataError(`cannot hold out ${heldOutSamples} of ${count} training examples (heldOutSamples)`);
      const order = new Rng(seed).fork('held-out').shuffle(Array.from({ length: count }, (_, i) => i));
      return { heldOut: Int32Array.from(order.slice(0, heldOutSamples)), pool: Int32Array.from(order.slice(heldOutSamples)) };
    }
  }
}

/** Loads the spec's dataset and checks it fits the model's input and classes (errors name the file). */
export function loadQuantizationData(spec: QuantizationSpec, baseDir: string, input: readonly number[], classes: number): QuantizationData {
  const { train, test } = loadDataset(spec.dataset, baseDir);
  for (const split of test ? [train, test] : [train]) {
    checkInputShape(split, input, "the model's input");
    checkLabels(split, classes);
  }
  const { heldOut, pool } = splitExamples(spec.split, train.count, spec.samples.heldOut, spec.seed);
  if (heldOut.length === 0) throw new DataError('no held-out examples to score policies on', train.source);
  const calibration = Int32Array.from(new Rng(spec.seed).fork('calibration').sampleIndices(pool.length, spec.samples.calibration), (i) => pool[i]);
  const testCount = test ? Math.min(spec.samples.test, test.count) : 0;
  return { train, test, normalization: normalizationOf(spec.input), heldOut, pool, calibration, testExamples: Int32Array.from({ length: testCount }, (_, i) => i) };
}
