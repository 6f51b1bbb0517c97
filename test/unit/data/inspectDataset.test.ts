// inspectDataset: the cheap check a run's creation makes, so bad data is rejected before a run folder exists.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { MissingFileError } from '../../../server/core/errors';
import { loadDataset, type DatasetSpec } from '../../../server/data/datasetSpec';
import { encodeIdx } from '../../../server/data/idx';
import { inspectDataset } from '../../../server/data/inspectDataset';
import { cifarRecord, classFolders, gray, rejects, thrown, tmp, writePng } from './dataTestSupport';

function writeIdxPair(dir: string, prefix: string, count: number, side: number): void {
  writeFileSync(join(dir, `${prefix}-images`), encodeIdx([count, side, side], new Uint8Array(count * side * side)));
  writeFileSync(join(dir, `${prefix}-labels`), encodeIdx([count], Uint8Array.from({ length: count }, (_, i) => i % 3)));
}

const idxSpec: DatasetSpec = { type: 'idx', trainImages: 'train-images', trainLabels: 'train-labels', testImages: 'test-images', testLabels: 'test-labels' };

test('summaries of valid datasets: counts and shapes of each split, from headers, sizes and listings', () => {
  const dir = tmp();
  writeIdxPair(dir, 'train', 6, 4);
  writeIdxPair(dir, 'test', 2, 4);
  assert.deepEqual(inspectDataset(idxSpec, dir), {
    train: { count: 6, shape: [4, 4, 1], source: join(dir, 'train-images') },
    test: { count: 2, shape: [4, 4, 1], source: join(dir, 'test-images') },
  });
  writeFileSync(join(dir, 'data_batch_1.bin'), Buffer.concat([cifarRecord([1], () => 0), cifarRecord([2], () => 0)]));
  const cifar = inspectDataset({ type: 'cifar10', dir }, '/');
  assert.deepEqual([cifar.train.count, cifar.train.shape, cifar.test], [2, [32, 32, 3], undefined]);
  const root = tmp();
  const [a, b] = classFolders(root, ['a', 'b']);
  writePng(join(a, '1.png'), 3, 2, () => gray(1));
  writePng(join(b, '1.png'), 3, 2, () => gray(1));
  writePng(join(b, '2.png'), 3, 2, () => gray(1));
  assert.deepEqual(inspectDataset({ type: 'folder', train: root }, '/').train, { count: 3, shape: [2, 3, 1], source: root });
  const mnist = inspectDataset({ type: 'mnist' }, '/');
  assert.deepEqual([mnist.train.count, mnist.train.shape, mnist.test?.count], [60000, [28, 28, 1], 10000]);
});

test('each broken dataset fails inspection with exactly the error loading gives (class and message)', () => {
  const cases: [string, RegExp, (dir: string) => DatasetSpec][] = [
    ['missing images file', /train-images: file not found \(expected the IDX file\)/, () => idxSpec],
    [
      'bad magic',
      /train-images: not an IDX file \(bad magic number/,
      (dir) => {
        writeIdxPair(dir, 'train', 4, 2);
        writeFileSync(join(dir, 'train-images'), 'GIF89a, not IDX');
        return idxSpec;
      },
    ],
    [
      'truncated images',
      /truncated: header declares 4x2x2 = 16 bytes of data, file has 9/,
      (dir) => {
        writeIdxPair(dir, 'train', 4, 2);
        writeFileSync(join(dir, 'train-images'), encodeIdx([4, 2, 2], new Uint8Array(16)).subarray(0, 25));
        return idxSpec;
      },
    ],
    [
      'labels/images count mismatch',
      /train-labels: 5 labels for 4 images/,
      (dir) => {
        writeIdxPair(dir, 'train', 4, 2);
        writeFileSync(join(dir, 'train-labels'), encodeIdx([5], new Uint8Array(5)));
        return idxSpec;
      },
    ],
    [
      'test shape differs from training',
      /test-images: test images are 3x3x1 but training images are 2x2x1/,
      (dir) => {
        writeIdxPair(dir, 'train', 4, 2);
        writeIdxPair(dir, 'test', 4, 3);
        return idxSpec;
      },
    ],
    [
      'device as the labels file',
      /\/dev\/null: is not a regular file \(it is a character device\)/,
      (dir) => {
        writeIdxPair(dir, 'train', 4, 2);
        return { type: 'idx', trainImages: 'train-images', trainLabels: '/dev/null' };
      },
    ],
    ['missing CIFAR folder', /cifar: CIFAR folder not found/, (dir) => ({ type: 'cifar10', dir: join(dir, 'cifar') })],
    [
      'wrong CIFAR length',
      /train\.bin: truncated or not a cifar100 binary batch: 3174 bytes/,
      (dir) => {
        writeFileSync(join(dir, 'train.bin'), Buffer.concat([cifarRecord([0, 1], () => 0), Buffer.alloc(100)]));
        return { type: 'cifar100', dir };
      },
    ],
    ['missing image folder', /train: image folder not found/, (dir) => ({ type: 'folder', train: join(dir, 'train') })],
    [
      'empty class folder',
      /class folder \"b\" is empty/,
      (dir) => {
        const [a] = classFolders(dir, ['train/a', 'train/b']);
        writePng(join(a, '1.png'), 2, 2, () => gray(1));
        return { type: 'folder', train: 'train' };
      },
    ],
    [
      'corrupt first image',
      /1\.png: cannot decode PNG image/,
      (dir) => {
        const [a] = classFolders(dir, ['train/a']);
        writeFileSync(join(a, '1.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]));
        return { type: 'folder', train: 'train' };
      },
    ],
    [
      'test class not in training',
      /test: class folder\(s\) z are not classes of the training folder \(a\)/,
      (dir) => {
        for (const f of classFolders(dir, ['train/a', 'test/a', 'test/z'])) writePng(join(f, '1.png'), 2, 2, () => gray(1));
        return { type: 'folder', train: 'train', test: 'test' };
      },
    ],
  ];
  for (const [name, reason, make] of cases) {
    const dir = tmp();
    const spec = make(dir);
    const loading = thrown(() => loadDataset(spec, dir));
    const inspecting = thrown(() => inspectDataset(spec, dir));
    assert.equal(inspecting.constructor, loading.constructor, `${name}: ${inspecting.message} vs ${loading.message}`);
    assert.equal(inspecting.message, loading.message, name);
    assert.match(inspecting.message, reason, name);
    assert.ok(inspecting.message.startsWith(dir) || inspecting.message.startsWith('/dev/null'), `${name}: the message names the file: ${inspecting.message}`);
  }
  const missing = thrown(() => inspectDataset(idxSpec, '/nonexistent'));
  assert.ok(missing instanceof MissingFileError);
});

test('inspection reads no data: what only the data reveals fails when loading, not when inspecting', () => {
  const dir = tmp();
  // A CIFAR label byte out of range sits inside a record.
  writeFileSync(join(dir, 'data_batch_1.bin'), Buffer.concat([cifarRecord([1], () => 0), cifarRecord([12], () => 0)]));
  assert.equal(inspectDataset({ type: 'cifar10', dir }, '/').train.count, 2);
  rejects(() => loadDataset({ type: 'cifar10', dir }, '/'), join(dir, 'data_batch_1.bin'), /record 1 has label 12/);
  // With imageSize and channels set, no image is decoded.
  const root = tmp();
  const [a] = classFolders(root, ['a']);
  writePng(join(a, '1.png'), 2, 2, () => gray(1));
  writeFileSync(join(a, '2.png'), 'not an image');
  const spec: DatasetSpec = { type: 'folder', train: root, imageSize: [2, 2], channels: 1 };
  assert.deepEqual(inspectDataset(spec, '/').train, { count: 2, shape: [2, 2, 1], source: root });
  rejects(() => loadDataset(spec, '/'), join(a, '2.png'), /not a PNG or JPEG image/);
  // A gzip file's data length is known only by decompressing it.
  writeIdxPair(dir, 'train', 4, 2);
  writeFileSync(join(dir, 'train-images'), gzipSync(encodeIdx([4, 2, 2], new Uint8Array(16)).subarray(0, 20)));
  const trainOnly: DatasetSpec = { type: 'idx', trainImages: 'train-images', trainLabels: 'train-labels' };
  assert.equal(inspectDataset(trainOnly, dir).train.count, 4);
  rejects(() => loadDataset(trainOnly, dir), join(dir, 'train-images'), /truncated: header declares 4x2x2 = 16 bytes of data, the decompressed file has 4/);
});

test('needs: more samples than the training split has, and images that are not the network input, name the dataset file', () => {
  const dir = tmp();
  writeIdxPair(dir, 'train', 6, 4);
  const spec: DatasetSpec = { type: 'idx', trainImages: 'train-images', trainLabels: 'train-labels' };
  const images = join(dir, 'train-images');
  rejects(
    () => inspectDataset(spec, dir, { samples: { count: 7, setting: 'trainSamples + validationSamples' } }),
    images,
    /trainSamples \+ validationSamples = 7 exceeds the 6 examples of the training split/,
  );
  rejects(() => inspectDataset(spec, dir, { input: { shape: [32, 32, 3], setting: 'supernet.input' } }), images, /images are 4x4x1 \(height x width x channels\) but supernet.input is \[32, 32, 3\]/);
  assert.equal(inspectDataset(spec, dir, { samples: { count: 6, setting: 's' }, input: { shape: [4, 4, 1], setting: 'i' } }).train.count, 6);
});
