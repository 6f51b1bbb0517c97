import { isAbsolute, resolve } from 'node:path';
import type { JsonSchema } from '../core/jsonSchema';
import { loadIdxDataset } from './idxDataset';
import type { ImageDataset } from './imageDataset';
import { loadEmbeddedMnist } from './mnist';

/** Where a training evaluator gets its images. Paths are relative to the spec's folder. */
export type DatasetSpec =
  | { readonly type: 'mnist' }
  | {
      readonly type: 'idx';
      readonly trainImages: string;
      readonly trainLabels: string;
      readonly testImages?: string;
      readonly testLabels?: string;
    };

export interface LoadedDataset {
  readonly train: ImageDataset;
  readonly test?: ImageDataset;
}

export function loadDataset(spec: DatasetSpec, baseDir: string): LoadedDataset {
  if (spec.type === 'mnist') return { train: loadEmbeddedMnist('train'), test: loadEmbeddedMnist('test') };
  const path = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const train = loadIdxDataset('train', path(spec.trainImages), path(spec.trainLabels));
  const test =
    spec.testImages && spec.testLabels ? loadIdxDataset('test', path(spec.testImages), path(spec.testLabels)) : undefined;
  return { train, test };
}

export const datasetSchema: JsonSchema = {
  description: 'The dataset to train on.',
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: { type: { const: 'mnist', description: 'MNIST digits embedded in NAS Studio (no download).' } },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'trainImages', 'trainLabels'],
      properties: {
        type: { const: 'idx', description: 'IDX files (MNIST / Fashion-MNIST format), optionally gzip-compressed.' },
        trainImages: { type: 'string', minLength: 1, description: 'Training images IDX file.' },
        trainLabels: { type: 'string', minLength: 1, description: 'Training labels IDX file.' },
        testImages: { type: 'string', minLength: 1, description: 'Test images IDX file (enables test_accuracy).' },
        testLabels: { type: 'string', minLength: 1, description: 'Test labels IDX file.' },
      },
    },
  ],
  discriminator: { propertyName: 'type' },
};
