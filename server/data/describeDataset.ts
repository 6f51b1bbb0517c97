import { isAbsolute, resolve } from 'node:path';
import type { DatasetShape } from '../../contract/protocol';
import { NasError } from '../core/errors';
import { cifarClassCount } from './cifar';
import { loadTrainingSplit, type DatasetSpec } from './datasetSpec';
import { imageFolderClassNames } from './imageFolder';
import { inspectDataset } from './inspectDataset';

const DATASET_TYPES: readonly string[] = ['mnist', 'idx', 'cifar10', 'cifar100', 'folder'] satisfies DatasetSpec['type'][];

/**
 * The shape and classes of a dataset spec (the New Experiment wizard sets the space's input and
 * classes from them). Headers and folder listings only, except IDX: its classes are the largest
 * label + 1, so the training split is read. Throws the MissingFileError / DataError loading would.
 */
export function describeDataset(dataset: { readonly type: string; readonly [option: string]: unknown }, baseDir: string): DatasetShape {
  if (!DATASET_TYPES.includes(dataset.type)) throw new NasError('invalid-request', `unknown dataset type "${dataset.type}" (${DATASET_TYPES.join(', ')})`);
  const spec = dataset as DatasetSpec;
  const { train, test } = inspectDataset(spec, baseDir);
  const path = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const classes = (): number => {
    switch (spec.type) {
      case 'mnist':
      case 'idx':
        return loadTrainingSplit(spec, baseDir).classes;
      case 'cifar10':
      case 'cifar100':
        return cifarClassCount({ variant: spec.type, labels: spec.type === 'cifar100' ? spec.labels : undefined });
      case 'folder':
        return imageFolderClassNames(path(spec.train)).length;
    }
  };
  return { shape: train.shape, classes: classes(), count: train.count, hasTest: test !== undefined };
}
