import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { Rng } from '../../../server/core/rng';
import { assembleBatch, drawTransforms } from '../../../server/data/batchAssembly';
import { cifarFiles, loadCifarBatches } from '../../../server/data/cifar';
import { loadDataset } from '../../../server/data/datasetSpec';
import { encodeIdx } from '../../../server/data/idx';
import { loadIdxDataset } from '../../../server/data/idxDataset';
import { checkLabels } from '../../../server/data/imageDataset';
import { loadImageFolder } from '../../../server/data/imageFolder';
import { cifarRecord, classFolders, gray, rejects, tmp, writeJpeg, writePng } from './dataTestSupport';

test('IDX round trip: written images and labels read back identically, plain and gzip-compressed', () => {
  const dir = tmp();
  const pixels = Uint8Array.from({ length: 5 * 4 * 3 }, (_, i) => (i * 37) % 256);
  const labels = Uint8Array.from([3, 1, 4, 1, 5]);
  writeFileSync(join(dir, 'images'), encodeIdx([5, 4, 3], pixels));
  writeFileSync(join(dir, 'labels.gz'), gzipSync(encodeIdx([5], labels)));
  const d = loadIdxDataset('t', join(dir, 'images'), join(dir, 'labels.gz'));
  assert.deepEqual(d.shape, [4, 3, 1]);
  assert.equal(d.count, 5);
  assert.equal(d.classes, 6);
  assert.deepEqual(Array.from(d.pixels), Array.from(pixels));
  assert.deepEqual(Array.from(d.labels), Array.from(labels));
});

test('IDX bad input: a truncated file and labels beyond the classes are DataErrors naming the file', () => {
  const dir = tmp();
  const full = encodeIdx([4, 2, 2], new Uint8Array(16));
  writeFileSync(join(dir, 'cut'), full.subarray(0, full.length - 3));
  writeFileSync(join(dir, 'labels'), encodeIdx([4], Uint8Array.from([0, 1, 9, 12])));
  rejects(() => loadIdxDataset('t', join(dir, 'cut'), join(dir, 'labels')), join(dir, 'cut'), /truncated: header declares 4x2x2 = 16 bytes of data, file has 13/);
  writeFileSync(join(dir, 'images'), full);
  const d = loadIdxDataset('t', join(dir, 'images'), join(dir, 'labels'));
  rejects(() => checkLabels(d, 10), join(dir, 'labels'), /label 12 of example 3 is out of range: the network has 10 classes/);
  checkLabels(d, 13);
});

const pattern = (n: number) => (c: number, y: number, x: number) => (n * 50 + c * 80 + y * 3 + x) % 256;

test('CIFAR-10 binary batches: records become HWC images with their labels; the folder layout is found', () => {
  const dir = tmp();
  const records = [cifarRecord([7], pattern(0)), cifarRecord([2], pattern(1)), cifarRecord([9], pattern(2))];
  writeFileSync(join(dir, 'data_batch_1.bin'), Buffer.concat(records.slice(0, 2)));
  writeFileSync(join(dir, 'data_batch_2.bin'), records[2]);
  writeFileSync(join(dir, 'test_batch.bin'), records[0]);
  const files = cifarFiles(dir, 'cifar10');
  assert.deepEqual(files.train, [join(dir, 'data_batch_1.bin'), join(dir, 'data_batch_2.bin')]);
  const d = loadCifarBatches('c', files.train, { variant: 'cifar10' });
  assert.deepEqual(d.shape, [32, 32, 3]);
  assert.deepEqual(Array.from(d.labels), [7, 2, 9]);
  for (let n = 0; n < 3; n++) {
    for (const [y, x, c] of [[0, 0, 0], [5, 17, 1], [31, 31, 2]]) assert.equal(d.pixels[n * 3072 + (y * 32 + x) * 3 + c], pattern(n)(c, y, x));
  }
  const both = loadDataset({ type: 'cifar10', dir }, '/');
  assert.equal(both.test?.count, 1);
});

test('CIFAR-100: fine labels by default, coarse on request', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'train.bin'), Buffer.concat([cifarRecord([3, 71], pattern(0)), cifarRecord([19, 99], pattern(1))]));
  assert.deepEqual(Array.from(loadDataset({ type: 'cifar100', dir }, '/').train.labels), [71, 99]);
  assert.deepEqual(Array.from(loadDataset({ type: 'cifar100', dir, labels: 'coarse' }, '/').train.labels), [3, 19]);
});

test('CIFAR bad input: truncated files and out-of-range labels are DataErrors naming the file', () => {
  const dir = tmp();
  const file = join(dir, 'data_batch_1.bin');
  writeFileSync(file, Buffer.concat([cifarRecord([1], pattern(0)), cifarRecord([1], pattern(0)).subarray(0, 1000)]));
  rejects(() => loadCifarBatches('c', [file], { variant: 'cifar10' }), file, /truncated or not a cifar10 binary batch: 4073 bytes is not a whole number of 3073-byte records \(1 complete\)/);
  writeFileSync(file, Buffer.concat([cifarRecord([1], pattern(0)), cifarRecord([10], pattern(0))]));
  rejects(() => loadCifarBatches('c', [file], { variant: 'cifar10' }), file, /record 1 has label 10, outside 0\.\.9 of cifar10/);
  rejects(() => cifarFiles(join(dir, 'nope'), 'cifar10'), join(dir, 'nope'), /CIFAR folder not found/);
});

test('image folders: PNG and JPEG images in class subfolders, labelled by sorted folder name', () => {
  const root = tmp();
  const [cat, dog] = classFolders(root, ['dog', 'cat'].sort());
  writePng(join(cat, 'a.png'), 4, 3, (x, y) => [10 * x, 20 * y, 30, 255]);
  writeJpeg(join(dog, 'b.jpg'), 4, 3, () => [200, 40, 90]);
  writeJpeg(join(dog, 'c.JPEG'), 4, 3, () => [10, 220, 130]);
  writeFileSync(join(dog, 'notes.txt'), 'ignored');
  const d = loadImageFolder('f', root);
  assert.deepEqual(d.classNames, ['cat', 'dog']);
  assert.deepEqual(d.shape, [3, 4, 3]);
  assert.deepEqual(Array.from(d.labels), [0, 1, 1]);
  // PNG is lossless: exact pixels.
  assert.deepEqual(Array.from(d.pixels.subarray((2 * 4 + 3) * 3, (2 * 4 + 3) * 3 + 3)), [30, 40, 30]);
  // JPEG is lossy: close to the encoded colour.
  const jpeg = Array.from(d.pixels.subarray(12 * 3, 12 * 3 + 3));
  [200, 40, 90].forEach((v, k) => assert.ok(Math.abs(jpeg[k] - v) <= 6, `JPEG pixel ${jpeg}`));
});

test('image folders: grayscale images load with one channel; mixed channels are rejected unless converted', () => {
  const root = tmp();
  const [a, b] = classFolders(root, ['a', 'b']);
  writePng(join(a, '1.png'), 2, 2, () => gray(100));
  writePng(join(b, '2.png'), 2, 2, () => gray(50));
  assert.deepEqual(loadImageFolder('f', root).shape, [2, 2, 1]);
  writePng(join(b, '3.png'), 2, 2, () => [255, 0, 0, 255]);
  rejects(() => loadImageFolder('f', root), join(b, '3.png'), /image is color but 1\.png is grayscale; set "channels": 1 or 3/);
  const rgb = loadImageFolder('f', root, { channels: 3 });
  assert.deepEqual(rgb.shape, [2, 2, 3]);
  assert.deepEqual(Array.from(rgb.pixels.subarray(0, 3)), [100, 100, 100]);
  assert.deepEqual(Array.from(rgb.pixels.subarray(24, 27)), [255, 0, 0]);
  const luma = loadImageFolder('f', root, { channels: 1 });
  assert.equal(luma.pixels[8], 76); // 0.299 * 255
});

test('image folders: mixed sizes are rejected unless resized; imageSize resizes bilinearly', () => {
  const root = tmp();
  const [a, b] = classFolders(root, ['a', 'b']);
  writePng(join(a, '1.png'), 4, 4, () => gray(80));
  writePng(join(b, '2.png'), 6, 2, (x) => gray(40 * x));
  rejects(() => loadImageFolder('f', root), join(b, '2.png'), /image is 6x2 but 1\.png is 4x4; set "imageSize": \[height, width\]/);
  const d = loadImageFolder('f', root, { imageSize: [4, 4] });
  assert.deepEqual(d.shape, [4, 4, 1]);
  assert.deepEqual(Array.from(d.pixels.subarray(0, 16)), Array(16).fill(80));
  // Half-pixel centres: output x samples the source at 1.5 x + 0.25, where the ramp is 40 per pixel.
  assert.deepEqual(Array.from(d.pixels.subarray(16, 20)), [10, 70, 130, 190]);
});

test('image folders bad input: an empty class folder, a corrupt image, no class folders', () => {
  const root = tmp();
  const [a, b] = classFolders(root, ['a', 'b']);
  writePng(join(a, '1.png'), 2, 2, () => gray(1));
  rejects(() => loadImageFolder('f', root), b, /class folder "b" is empty \(no \.png, \.jpg or \.jpeg images\)/);
  writeFileSync(join(b, 'broken.png'), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(20)]));
  rejects(() => loadImageFolder('f', root), join(b, 'broken.png'), /cannot decode PNG image/);
  writeFileSync(join(b, 'broken.png'), 'not an image at all');
  rejects(() => loadImageFolder('f', root), join(b, 'broken.png'), /not a PNG or JPEG image/);
  const empty = tmp();
  rejects(() => loadImageFolder('f', empty), empty, /no class subfolders/);
});

test('a test folder must use the training classes and image shape', () => {
  const root = tmp();
  const [trainA, trainB, testA, testC] = classFolders(root, ['train/a', 'train/b', 'test/a', 'test/c']);
  for (const f of [trainA, trainB, testA]) writePng(join(f, '1.png'), 2, 2, () => gray(9));
  writePng(join(testC, '1.png'), 2, 2, () => gray(9));
  rejects(() => loadDataset({ type: 'folder', train: 'train', test: 'test' }, root), join(root, 'test'), /class folder\(s\) c are not classes of the training folder \(a, b\)/);
});

test('batch assembly: per-channel normalization, zero-padded shifts and flips match an independent computation', () => {
  const [h, w, c] = [3, 4, 2];
  const pixels = Uint8Array.from({ length: 2 * h * w * c }, (_, i) => (i * 29 + 7) % 256);
  const dataset = { name: 'd', shape: [h, w, c] as [number, number, number], classes: 2, count: 2, pixels, labels: Uint8Array.from([1, 0]) };
  const normalization = { mean: [0.5, 0.25], std: [0.2, 0.4] };
  const transforms = drawTransforms(2, { crop: 1, flip: true }, new Rng(3));
  const { x, y } = assembleBatch(dataset, [1, 0], normalization, transforms);
  assert.deepEqual(Array.from(y), [0, 1]);
  [1, 0].forEach((example, n) => {
    for (let row = 0; row < h; row++) {
      for (let col = 0; col < w; col++) {
        for (let k = 0; k < c; k++) {
          const sr = row + transforms.dy[n];
          const sc = (transforms.flip[n] ? w - 1 - col : col) + transforms.dx[n];
          const byte = sr >= 0 && sr < h && sc >= 0 && sc < w ? pixels[example * h * w * c + (sr * w + sc) * c + k] : 0;
          const expected = (byte / 255 - normalization.mean[k]) / normalization.std[k];
          assert.ok(Math.abs(x[((n * h + row) * w + col) * c + k] - expected) < 1e-5);
        }
      }
    }
  });
});
