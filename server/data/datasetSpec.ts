import { isAbsolute, resolve } from 'node:path';
import { DataError } from '../core/errors';
import type { JsonSchema } from '../core/jsonSchema';
import { pathSchema } from '../core/specBounds';
import { cifarFiles, loadCifarBatches } from './cifar';
import { loadIdxDataset } from './idxDataset';
import type { ImageDataset } from './imageDataset';
import { loadImageFolder } from './imageFolder';
import { loadEmbeddedMnist } from './mnist';

/** Where training gets its images: the one place specs name datasets. Paths are relative to the spec's folder. */
export type DatasetSpec =
  | { readonly type: 'mnist' }
  | {
      readonly type: 'idx';
      readonly trainImages: string;
      readonly trainLabels: string;
      readonly testImages?: string;
      readonly testLabels?: string;
    }
  | { readonly type: 'cifar10'; readonly dir: string }
  | { readonly type: 'cifar100'; readonly dir: string; readonly labels?: 'fine' | 'coarse' }
  | {
      readonly type: 'folder';
      readonly train: string;
      readonly test?: string;
      readonly imageSize?: readonly [number, number];
      readonly channels?: 1 | 3;
    };

export interface LoadedDataset {
  readonly train: ImageDataset;
  readonly test?: ImageDataset;
}

export function loadDataset(spec: DatasetSpec, baseDir: string): LoadedDataset {
  const path = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  switch (spec.type) {
    case 'mnist':
      return { train: loadEmbeddedMnist('train'), test: loadEmbeddedMnist('test') };
    case 'idx': {
      const train = loadIdxDataset('train', path(spec.trainImages), path(spec.trainLabels));
      const test = spec.testImages && spec.testLabels ? loadIdxDataset('test', path(spec.testImages), path(spec.testLabels)) : undefined;
      return { train, test: test && sameShape(train, test, path(spec.testImages!)) };
    }
    case 'cifar10':
    case 'cifar100': {
      const format = { variant: spec.type, labels: spec.type === 'cifar100' ? spec.labels : undefined };
      const files = cifarFiles(path(spec.dir), spec.type);
      return { train: loadCifarBatches(`${spec.type}-train`, files.train, format), test: files.test ? loadCifarBatches(`${spec.type}-test`, [files.test], format) : undefined };
    }
    case 'folder': {
      const options = { imageSize: spec.imageSize, channels: spec.channels };
      const train = loadImageFolder('train', path(spec.train), options);
      const test = spec.test ? loadImageFolder('test', path(spec.test), { ...options, classNames: train.classNames }) : undefined;
      return { train, test: test && sameShape(train, test, path(spec.test!)) };
    }
  }
}

function sameShape(train: ImageDataset, test: ImageDataset, testFile: string): ImageDataset {
  if (train.shape.join('x') !== test.shape.join('x')) {
    throw new DataError(`test images are ${test.shape.join('x')} but training images are ${train.shape.join('x')}`, testFile);
  }
  return test;
}

const path = pathSchema;

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
        trainImages: path('Training images IDX file.'),
        trainLabels: path('Training labels IDX file.'),
        testImages: path('Test images IDX file (enables test_accuracy).'),
        testLabels: path('Test labels IDX file.'),
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'dir'],
      properties: {
        type: { const: 'cifar10', description: 'CIFAR-10 binary batches (the extracted cifar-10-batches-bin folder).' },
        dir: path('Folder with data_batch_*.bin and (optionally) test_batch.bin.'),
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'dir'],
      properties: {
        type: { const: 'cifar100', description: 'CIFAR-100 binary (the extracted cifar-100-binary folder).' },
        dir: path('Folder with train.bin and (optionally) test.bin.'),
        labels: { enum: ['fine', 'coarse'], default: 'fine', description: 'The 100 fine classes or the 20 superclasses.' },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'train'],
      properties: {
        type: { const: 'folder', description: 'PNG/JPEG images in one subfolder per class.' },
        train: path('Folder of class subfolders with the training images.'),
        test: path('Folder of class subfolders with the test images (same class names).'),
        imageSize: {
          type: 'array',
          items: { type: 'integer', minimum: 1, maximum: 1024 },
          minItems: 2,
          maxItems: 2,
          description: '[height, width] to resize every image to. Without it, images of mixed sizes are rejected.',
        },
        channels: { enum: [1, 3], description: 'Convert every image to 1 (gray) or 3 (RGB) channels. Without it, mixed channels are rejected.' },
      },
    },
  ],
  discriminator: { propertyName: 'type' },
};
