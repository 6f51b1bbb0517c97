// Regression tests for issue 11 (data readers): non-regular files, declared sizes checked before
// allocating, gzip bombs, corrupt images. Every file is generated in a scratch folder.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { MissingFileError } from '../../../server/core/errors';
import { loadCifarBatches } from '../../../server/data/cifar';
import { loadDataset } from '../../../server/data/datasetSpec';
import { DATA_LIMITS } from '../../../server/data/dataLimits';
import { encodeIdx, readIdx, readIdxHeader } from '../../../server/data/idx';
import { loadIdxDataset } from '../../../server/data/idxDataset';
import { decodeImage } from '../../../server/data/imageDecode';
import { cifarRecord, gray, jpegBytes, pngBytes, rejects, tmp } from './dataTestSupport';

const ROOT = resolve(__dirname, '../../..');

/** Just an IDX header declaring `dims` (no data). */
function idxHeader(dims: number[]): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return header;
}

test('default limits are the ones docs/reliability.md states: 1024 MB per dataset file or dataset, 64 megapixels per image', () => {
  assert.equal(DATA_LIMITS.maxBytes, 1024 * 2 ** 20);
  assert.equal(DATA_LIMITS.maxImagePixels, 64_000_000);
  const docs = readFileSync(join(ROOT, 'docs/reliability.md'), 'utf8');
  assert.match(docs, /1024 MB/);
  assert.match(docs, /64 megapixels/);
});

test('/dev/zero as a dataset file is refused as not a regular file before anything is read (it used to grow memory without bound)', () => {
  rejects(() => readIdx('/dev/zero'), '/dev/zero', /is not a regular file \(it is a character device\)/);
  rejects(() => loadDataset({ type: 'idx', trainImages: '/dev/zero', trainLabels: '/dev/zero' }, '/'), '/dev/zero', /is not a regular file/);
  rejects(() => loadCifarBatches('c', ['/dev/zero'], { variant: 'cifar10' }), '/dev/zero', /is not a regular file \(it is a character device\)/);
  rejects(() => decodeImage('/dev/zero'), '/dev/zero', /is not a regular file/);
});

test('a FIFO as a dataset file is refused at once instead of blocking forever', () => {
  const fifo = join(tmp(), 'images.idx');
  execFileSync('mkfifo', [fifo]);
  // In a child process with a timeout: a reader that blocks on the FIFO fails this test instead of hanging the suite.
  const script = `
    const { readIdx } = require(${JSON.stringify(join(ROOT, 'server/data/idx.ts'))});
    const { loadCifarBatches } = require(${JSON.stringify(join(ROOT, 'server/data/cifar.ts'))});
    const { decodeImage } = require(${JSON.stringify(join(ROOT, 'server/data/imageDecode.ts'))});
    const attempts = [() => readIdx(process.argv[1]), () => loadCifarBatches('c', [process.argv[1]], { variant: 'cifar10' }), () => decodeImage(process.argv[1])];
    console.log(JSON.stringify(attempts.map((attempt) => { try { attempt(); return 'no error'; } catch (e) { return e.constructor.name + ': ' + e.message; } })));`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script, fifo], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(child.signal, null, `the reader blocked on the FIFO (killed by ${child.signal})`);
  assert.equal(child.status, 0, child.stderr);
  const errors = JSON.parse(child.stdout) as string[];
  assert.equal(errors.length, 3);
  for (const error of errors) assert.ok(error.startsWith(`DataError: ${fifo}: is not a regular file (it is a named pipe)`), error);
});

test('a missing file is a MissingFileError naming it; a dangling link says it is broken', () => {
  const dir = tmp();
  rejects(() => readIdx(join(dir, 'nope')), join(dir, 'nope'), /file not found \(expected the IDX file\)/, MissingFileError);
  symlinkSync(join(dir, 'gone'), join(dir, 'link'));
  rejects(() => readIdx(join(dir, 'link')), join(dir, 'link'), /is a broken symbolic link \(its target .*gone does not exist\)/);
});

test('an IDX header declaring more than the limit is refused from the header alone, before any allocation', () => {
  const dir = tmp();
  const file = join(dir, 'huge');
  writeFileSync(file, idxHeader([65536, 65536, 255])); // 1 PB declared, 16-byte file
  rejects(() => readIdx(file), file, /the IDX header declares 65536x65536x255 bytes of data, more than the 1024 MB a dataset file may have/);
  // Within the limit but larger than the file: truncated, named with both sizes.
  writeFileSync(file, Buffer.concat([idxHeader([1000, 28, 28]), Buffer.alloc(100)]));
  rejects(() => readIdx(file), file, /truncated: header declares 1000x28x28 = 784000 bytes of data, file has 100/);
  // Also refused when compressed: the header is decompressed alone.
  writeFileSync(file, gzipSync(idxHeader([2048, 1024, 1024])));
  rejects(() => readIdx(file), file, /declares 2048x1024x1024 bytes of data, more than the 1024 MB/);
  rejects(() => readIdx(file, { ...DATA_LIMITS, maxBytes: 2 ** 20 }), file, /more than the 1 MB a dataset file may have/);
});

test('IDX headers: bad magic, unsupported type, extra bytes and a truncated header are DataErrors naming the file', () => {
  const dir = tmp();
  const file = join(dir, 'f');
  writeFileSync(file, Buffer.from('PK\x03\x04 a zip file, not IDX'));
  rejects(() => readIdx(file), file, /not an IDX file \(bad magic number: the first two bytes must be zero\)/);
  writeFileSync(file, Buffer.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]));
  rejects(() => readIdx(file), file, /IDX element type 0xd is not supported/);
  writeFileSync(file, Buffer.concat([encodeIdx([2, 2], new Uint8Array(4)), Buffer.alloc(3)]));
  rejects(() => readIdx(file), file, /header declares 2x2 = 4 bytes of data, file has 7 \(the header does not describe this file\)/);
  writeFileSync(file, Buffer.from([0, 0, 8, 3, 0, 0]));
  rejects(() => readIdx(file), file, /truncated IDX header \(rank 3\)/);
  writeFileSync(file, encodeIdx([3, 2], new Uint8Array(6)));
  assert.deepEqual(readIdxHeader(file), { dims: [3, 2], headerBytes: 12, dataBytes: 6 });
});

test('a gzip bomb stops at the size its IDX header declares and says so (it used to inflate gigabytes, then report "corrupt gzip data")', () => {
  const dir = tmp();
  const file = join(dir, 'bomb.gz');
  // Concatenated gzip members inflate to their total: a 24-byte IDX, then 1.1 GB of zeros, in ~1 MB.
  const megabyteOfZeros = gzipSync(Buffer.alloc(2 ** 20));
  writeFileSync(file, Buffer.concat([gzipSync(encodeIdx([2, 2, 2], new Uint8Array(8))), ...Array(1100).fill(megabyteOfZeros)]));
  rejects(() => readIdx(file), file, /gzip data decompresses to more than 24 bytes, the size its IDX header declares \(2x2x2\)/);
  writeFileSync(join(dir, 'labels'), encodeIdx([2], new Uint8Array(2)));
  rejects(() => loadDataset({ type: 'idx', trainImages: file, trainLabels: 'labels' }, dir), file, /decompresses to more than 24 bytes/);
});

test('a file larger than the limit is refused from its size before it is read', () => {
  const file = join(tmp(), 'f');
  writeFileSync(file, encodeIdx([4, 500], new Uint8Array(2000)));
  rejects(() => readIdx(file, { ...DATA_LIMITS, maxBytes: 1000 }), file, /is 2 KB, more than the 1000 bytes a dataset file may have/);
});

test('gzip IDX: a cut stream, data shorter than the header and a header beyond the first 64 KB are DataErrors', () => {
  const dir = tmp();
  const file = join(dir, 'f.gz');
  const whole = gzipSync(encodeIdx([4, 500], Uint8Array.from({ length: 2000 }, (_, i) => (i * 7919) % 251)));
  writeFileSync(file, whole);
  assert.equal(readIdx(file).data.length, 2000);
  writeFileSync(file, whole.subarray(0, whole.length - 40));
  rejects(() => readIdx(file), file, /corrupt or truncated gzip data \(unexpected end of file\)/);
  writeFileSync(file, gzipSync(Buffer.concat([idxHeader([4, 500]), Buffer.alloc(10)])));
  rejects(() => readIdx(file), file, /truncated: header declares 4x500 = 2000 bytes of data, the decompressed file has 10/);
  // Only the first 64 KB are decompressed to find the header: a gzip header with a 5 KB file name is fine, 70 KB is not.
  const named = (length: number) => Buffer.concat([whole.subarray(0, 3), Buffer.from([whole[3] | 0x08]), whole.subarray(4, 10), Buffer.alloc(length, 0x6e), Buffer.from([0]), whole.subarray(10)]);
  writeFileSync(file, named(5000));
  assert.deepEqual(readIdxHeader(file).dims, [4, 500]);
  writeFileSync(file, named(70_000));
  rejects(() => readIdxHeader(file), file, /no IDX data in the first 64 KB of the gzip file/);
});

test('IDX pairs: a count mismatch and an empty dataset are found from the headers', () => {
  const dir = tmp();
  const [images, labels] = [join(dir, 'images'), join(dir, 'labels')];
  writeFileSync(images, encodeIdx([4, 2, 2], new Uint8Array(16)));
  writeFileSync(labels, encodeIdx([3], new Uint8Array(3)));
  rejects(() => loadIdxDataset('t', images, labels), labels, new RegExp(`3 labels for 4 images in ${images}`));
  writeFileSync(images, encodeIdx([0, 2, 2], new Uint8Array(0)));
  writeFileSync(labels, encodeIdx([0], new Uint8Array(0)));
  rejects(() => loadIdxDataset('t', images, labels), images, /holds no images: the header declares \[0, 2, 2\]/);
});

test('CIFAR: a batch file over the limit and batches totalling more than the limit are refused before reading', () => {
  const dir = tmp();
  const [a, b] = [join(dir, 'data_batch_1.bin'), join(dir, 'data_batch_2.bin')];
  const records = Buffer.concat(Array.from({ length: 3 }, () => cifarRecord([1], () => 7)));
  writeFileSync(a, records);
  writeFileSync(b, records);
  const limits = { ...DATA_LIMITS, maxBytes: 5 * 3072 };
  rejects(() => loadCifarBatches('c', [a, b], { variant: 'cifar10' }, limits), dir, /the batch files hold 6 images \(18 KB of pixels\), more than the 15 KB a dataset may have/);
  rejects(() => loadCifarBatches('c', [a], { variant: 'cifar10' }, { ...DATA_LIMITS, maxBytes: 3 * 3072 }), a, /is 9 KB, more than the 9 KB a dataset file may have/);
});

test('images: a header declaring more than 64 megapixels is refused before decoding; corrupt PNG/JPEG bytes are DataErrors', () => {
  const dir = tmp();
  const file = join(dir, 'x.png');
  const png = pngBytes(3, 2, () => gray(50));
  png.writeUInt32BE(100_000, 16); // IHDR width
  png.writeUInt32BE(100_000, 20); // IHDR height
  writeFileSync(file, png);
  rejects(() => decodeImage(file), file, /PNG header declares 100000x100000 pixels, more than the 64 megapixels an image may have/);
  const jpeg = jpegBytes(4, 4, () => [10, 20, 30]);
  const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  jpeg.writeUInt16BE(65_000, sof + 5);
  jpeg.writeUInt16BE(65_000, sof + 7);
  writeFileSync(join(dir, 'x.jpg'), jpeg);
  rejects(() => decodeImage(join(dir, 'x.jpg')), join(dir, 'x.jpg'), /JPEG header declares 65000x65000 pixels, more than the 64 megapixels/);
  writeFileSync(file, pngBytes(8, 8, (x, y) => [x * 30, y * 30, 0, 255]).subarray(0, 60));
  rejects(() => decodeImage(file), file, /cannot decode PNG image/);
  writeFileSync(join(dir, 'x.jpg'), Buffer.concat([jpegBytes(8, 8, () => [1, 2, 3]).subarray(0, 30), Buffer.alloc(50, 0xab)]));
  rejects(() => decodeImage(join(dir, 'x.jpg')), join(dir, 'x.jpg'), /cannot decode JPEG image/);
});
