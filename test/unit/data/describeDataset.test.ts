import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeDataset } from '../../../server/data/describeDataset';
import { NasError } from '../../../server/core/errors';

/** An IDX file: magic (type 0x08 = unsigned byte, `dims` dimensions), the sizes, then the bytes. */
function idx(sizes: number[], data: number[]): Buffer {
  const header = Buffer.alloc(4 + 4 * sizes.length);
  header.writeUInt8(0x08, 2);
  header.writeUInt8(sizes.length, 3);
  sizes.forEach((s, i) => header.writeUInt32BE(s, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

test('the built-in MNIST: 28x28x1 images, 10 classes, 60,000 training examples and a test split', () => {
  assert.deepEqual(describeDataset({ type: 'mnist' }, '.'), { shape: [28, 28, 1], classes: 10, count: 60000, hasTest: true });
});

test('IDX files: the shape from the header, the classes from the largest label, no test split unless named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'describe-'));
  writeFileSync(join(dir, 'images'), idx([3, 2, 2], Array.from({ length: 12 }, (_, i) => i)));
  writeFileSync(join(dir, 'labels'), idx([3], [0, 4, 2]));
  assert.deepEqual(describeDataset({ type: 'idx', trainImages: 'images', trainLabels: 'labels' }, dir), { shape: [2, 2, 1], classes: 5, count: 3, hasTest: false });
});

test('an unknown dataset type is a clear request error; a missing file the engine\'s missing-data error', () => {
  assert.throws(() => describeDataset({ type: 'imagenet' }, '.'), (e: unknown) => e instanceof NasError && e.code === 'invalid-request' && /unknown dataset type "imagenet"/.test(e.message));
  assert.throws(() => describeDataset({ type: 'idx', trainImages: 'nope', trainLabels: 'nope' }, tmpdir()), (e: unknown) => e instanceof NasError && e.code === 'missing-data');
});
