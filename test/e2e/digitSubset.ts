import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { embeddedMnistFiles } from '../../server/data/mnist';

/** An IDX file's bytes, unzipped when it is gzipped. */
function readIdx(file: string): Buffer {
  const bytes = readFileSync(file);
  return file.endsWith('.gz') ? gunzipSync(bytes) : bytes;
}

/**
 * Writes the first `count` MNIST training digits as plain IDX files into `dir` (digits-images.idx,
 * digits-labels.idx): a real dataset small enough for a test's run to train in seconds.
 */
export function writeDigitSubset(dir: string, count: number): { images: string; labels: string } {
  const [imagesFile, labelsFile] = embeddedMnistFiles('train');
  const images = readIdx(imagesFile);
  const labels = readIdx(labelsFile);
  const imageHeader = Buffer.from(images.subarray(0, 16));
  imageHeader.writeUInt32BE(count, 4);
  const labelHeader = Buffer.from(labels.subarray(0, 8));
  labelHeader.writeUInt32BE(count, 4);
  const paths = { images: join(dir, 'digits-images.idx'), labels: join(dir, 'digits-labels.idx') };
  writeFileSync(paths.images, Buffer.concat([imageHeader, images.subarray(16, 16 + count * 28 * 28)]));
  writeFileSync(paths.labels, Buffer.concat([labelHeader, labels.subarray(8, 8 + count)]));
  return paths;
}
