// Development helper (tests, benchmarks): writes Fashion-MNIST as IDX files from the
// `fashion-mnist` devDependency, which ships the 70,000 images as JSON arrays per class. The
// product never downloads data; users point an "idx" dataset at their own Fashion-MNIST files.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../server/core/rng';
import { encodeIdx } from '../server/data/idx';

const SIDE = 28;
/** Images per class kept for the test split (the rest train), as in the official 60,000 / 10,000 split. */
const TEST_PER_CLASS = 1000;

export interface FashionMnistFiles {
  readonly trainImages: string;
  readonly trainLabels: string;
  readonly testImages: string;
  readonly testLabels: string;
}

function write(dir: string, name: string, samples: { image: number[]; label: number }[]): [string, string] {
  const images = new Uint8Array(samples.length * SIDE * SIDE);
  samples.forEach((s, i) => images.set(s.image, i * SIDE * SIDE));
  const imagesFile = join(dir, `${name}-images-idx3-ubyte`);
  const labelsFile = join(dir, `${name}-labels-idx1-ubyte`);
  writeFileSync(imagesFile, encodeIdx([samples.length, SIDE, SIDE], images));
  writeFileSync(labelsFile, encodeIdx([samples.length], Uint8Array.from(samples, (s) => s.label)));
  return [imagesFile, labelsFile];
}

/** IDX files of Fashion-MNIST in `dir` (written once; shuffled by a fixed seed). */
export function fashionMnistIdx(dir: string): FashionMnistFiles {
  const files = {
    trainImages: join(dir, 'train-images-idx3-ubyte'),
    trainLabels: join(dir, 'train-labels-idx1-ubyte'),
    testImages: join(dir, 'test-images-idx3-ubyte'),
    testLabels: join(dir, 'test-labels-idx1-ubyte'),
  };
  if (Object.values(files).every((f) => existsSync(f))) return files;
  mkdirSync(dir, { recursive: true });
  const train: { image: number[]; label: number }[] = [];
  const test: { image: number[]; label: number }[] = [];
  for (let label = 0; label < 10; label++) {
    const images = (require(`fashion-mnist/src/clothes/${label}.json`) as { data: number[][] }).data;
    images.forEach((image, i) => (i < images.length - TEST_PER_CLASS ? train : test).push({ image, label }));
  }
  const rng = new Rng('fashion-mnist');
  write(dir, 'train', rng.shuffle(train));
  write(dir, 'test', rng.shuffle(test));
  return files;
}
