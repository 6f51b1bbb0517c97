import { isAbsolute, resolve } from 'node:path';
import type { JsonSchema } from '../core/jsonSchema';
import { pathSchema } from '../core/specBounds';
import { cifarFiles, inspectCifarBatches, loadCifarBatches, type CifarFormat } from './cifar';
import { checkSameShape } from './datasetFit';
import { DATA_LIMITS, type DataLimits } from './dataLimits';
import { inspectIdxDataset, loadIdxDataset } from './idxDataset';
import type { DatasetSummary, ImageDataset } from './imageDataset';
import { imageFolderClassNames, inspectImageFolder, loadImageFolder, type ImageFolderOptions } from './imageFolder';
import { embeddedMnistFiles } from './mnist';

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

/** One split of a dataset spec: a cheap check of its files (headers, sizes, folder listings) and the full load. */
export interface SplitReader {
  /** The file or folder errors about the split name. */
  readonly location: string;
  inspect(limits: DataLimits): DatasetSummary;
  load(limits: DataLimits): ImageDataset;
}

function idxSplit(name: string, images: string, labels: string): SplitReader {
  return { location: images, inspect: (limits) => inspectIdxDataset(images, labels, limits), load: (limits) => loadIdxDataset(name, images, labels, limits) };
}

function cifarSplit(name: string, files: string[], format: CifarFormat): SplitReader {
  return { location: files[0], inspect: (limits) => inspectCifarBatches(files, format, limits), load: (limits) => loadCifarBatches(name, files, format, limits) };
}

/** `options` is a function: a test folder's class names are listed from the training folder only when it is read. */
function folderSplit(name: string, dir: string, options: () => ImageFolderOptions): SplitReader {
  return { location: dir, inspect: (limits) => inspectImageFolder(dir, options(), limits), load: (limits) => loadImageFolder(name, dir, options(), limits) };
}

/**
 * The readers of a spec's splits, paths resolved against `baseDir`; a test split only when the
 * spec has one. Fails with a MissingFileError when a CIFAR folder (listed to find its files) is absent.
 */
function datasetReaders(spec: DatasetSpec, baseDir: string): { train: SplitReader; test?: SplitReader } {
  const path = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  switch (spec.type) {
    case 'mnist':
      return { train: idxSplit('mnist-train', ...embeddedMnistFiles('train')), test: idxSplit('mnist-test', ...embeddedMnistFiles('test')) };
    case 'idx': {
      const train = idxSplit('train', path(spec.trainImages), path(spec.trainLabels));
      return { train, test: spec.testImages && spec.testLabels ? idxSplit('test', path(spec.testImages), path(spec.testLabels)) : undefined };
    }
    case 'cifar10':
    case 'cifar100': {
      const format = { variant: spec.type, labels: spec.type === 'cifar100' ? spec.labels : undefined };
      const files = cifarFiles(path(spec.dir), spec.type);
      return { train: cifarSplit(`${spec.type}-train`, files.train, format), test: files.test ? cifarSplit(`${spec.type}-test`, [files.test], format) : undefined };
    }
    case 'folder': {
      const options = { imageSize: spec.imageSize, channels: spec.channels };
      const trainDir = path(spec.train);
      const test = spec.test ? folderSplit('test', path(spec.test), () => ({ ...options, classNames: imageFolderClassNames(trainDir) })) : undefined;
      return { train: folderSplit('train', trainDir, () => options), test };
    }
  }
}

/** The same dataset with every path absolute (resolved against `baseDir`), for a spec read from another folder. */
export function absoluteDataset(spec: DatasetSpec, baseDir: string): DatasetSpec {
  const path = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  switch (spec.type) {
    case 'mnist':
      return spec;
    case 'idx':
      return {
        ...spec,
        trainImages: path(spec.trainImages),
        trainLabels: path(spec.trainLabels),
        ...(spec.testImages ? { testImages: path(spec.testImages) } : {}),
        ...(spec.testLabels ? { testLabels: path(spec.testLabels) } : {}),
      };
    case 'cifar10':
    case 'cifar100':
      return { ...spec, dir: path(spec.dir) };
    case 'folder':
      return { ...spec, train: path(spec.train), ...(spec.test ? { test: path(spec.test) } : {}) };
  }
}

/** Reads both splits of a spec with `read` (inspect or load); the test split must have the training shape. */
export function readSplits<T extends DatasetSummary>(spec: DatasetSpec, baseDir: string, read: (reader: SplitReader) => T): { train: T; test?: T } {
  const readers = datasetReaders(spec, baseDir);
  const train = read(readers.train);
  const test = readers.test && read(readers.test);
  if (test) checkSameShape(train, test, readers.test!.location);
  return { train, test };
}

/** The training images of a spec alone (paths relative to `baseDir`). */
export function loadTrainingSplit(spec: DatasetSpec, baseDir: string, limits: DataLimits = DATA_LIMITS): ImageDataset {
  return datasetReaders(spec, baseDir).train.load(limits);
}

/** The training and test images of a spec (paths relative to `baseDir`). */
export function loadDataset(spec: DatasetSpec, baseDir: string, limits: DataLimits = DATA_LIMITS): LoadedDataset {
  return readSplits(spec, baseDir, (reader) => reader.load(limits));
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
