import { Rng } from '../core/rng';
import { channelStats } from '../data/channelStats';
import { checkInputShape } from '../data/datasetFit';
import { UNIT_SCALE, type Normalization } from '../data/batchAssembly';
import { splitTrainValidation, type DataSplit } from '../data/dataSplit';
import { loadDataset } from '../data/datasetSpec';
import { checkLabels, type ImageDataset } from '../data/imageDataset';
import type { SupernetSpec } from './supernetSpec';

/** A supernet run's data: the datasets, its fixed split and the examples batch norms are calibrated on. */
export interface SupernetData {
  readonly train: ImageDataset;
  readonly test?: ImageDataset;
  readonly split: DataSplit;
  /** Training examples for batch-norm recalibration (the same for every evaluation of the run). */
  readonly calibration: Int32Array;
  /** Test examples evaluated after the last epoch (empty without a test split). */
  readonly testExamples: Int32Array;
}

function checkShape(dataset: ImageDataset, spec: SupernetSpec): void {
  checkInputShape(dataset, spec.supernet.input, 'supernet.input');
  checkLabels(dataset, spec.supernet.classes);
}

/**
 * Loads the dataset of a supernet spec (paths relative to `baseDir`), checks it fits the supernet
 * (image shape, labels within the classes: errors name the file) and splits it by the spec's seed,
 * so training, a resumed run, a search of the trained supernet and an export all see the same split.
 */
export function loadSupernetData(spec: SupernetSpec, baseDir: string): SupernetData {
  const { train, test } = loadDataset(spec.dataset, baseDir);
  checkShape(train, spec);
  if (test) checkShape(test, spec);
  const t = spec.training;
  const split = splitTrainValidation(train.count, t.validation, spec.seed, t.trainSamples);
  const calibration = Int32Array.from(new Rng(spec.seed).fork('calibration').sampleIndices(split.train.length, t.calibrationSamples), (i) => split.train[i]);
  const testCount = test ? Math.min(t.testSamples, test.count) : 0;
  return { train, test, split, calibration, testExamples: Int32Array.from({ length: testCount }, (_, i) => i) };
}

/** The training split's per-channel statistics, or bytes / 255 when the spec turns normalization off. */
export function normalizationFor(spec: SupernetSpec, data: SupernetData): Normalization {
  return spec.training.normalize ? channelStats(data.train, data.split.train) : UNIT_SCALE;
}
