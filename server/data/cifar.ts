import { dirname, join } from 'node:path';
import { DataError } from '../core/errors';
import { listFolder, readDataFile, requireFolder, withDataFile } from './dataFile';
import { DATA_LIMITS, formatBytes, type DataLimits } from './dataLimits';
import type { DatasetSummary, ImageDataset } from './imageDataset';

const SIDE = 32;
const PLANE = SIDE * SIDE;
const PIXELS = 3 * PLANE;

/**
 * The binary versions of CIFAR-10 (records: 1 label byte + 3072 pixel bytes) and CIFAR-100
 * (coarse label byte, fine label byte, 3072 pixel bytes); pixels are stored as R, G, B planes.
 */
export interface CifarFormat {
  readonly variant: 'cifar10' | 'cifar100';
  /** CIFAR-100 only: the 100 fine classes (default) or the 20 superclasses. */
  readonly labels?: 'fine' | 'coarse';
}

function layout(format: CifarFormat): { labelBytes: number; labelOffset: number; classes: number } {
  if (format.variant === 'cifar10') return { labelBytes: 1, labelOffset: 0, classes: 10 };
  return format.labels === 'coarse' ? { labelBytes: 2, labelOffset: 0, classes: 20 } : { labelBytes: 2, labelOffset: 1, classes: 100 };
}

/** How many classes the labels of this CIFAR variant name. */
export function cifarClassCount(format: CifarFormat): number {
  return layout(format).classes;
}

const fileOptions = (format: CifarFormat, limits: DataLimits) => ({ what: `${format.variant} batch file`, maxBytes: limits.maxBytes });

/** Records in a batch file of `size` bytes: a size that is not a whole number of records is a truncated file. */
function recordCount(size: number, file: string, format: CifarFormat): number {
  const record = layout(format).labelBytes + PIXELS;
  if (size === 0 || size % record !== 0) {
    throw new DataError(
      `truncated or not a ${format.variant} binary batch: ${size} bytes is not a whole number of ${record}-byte records (${Math.floor(size / record)} complete)`,
      file,
    );
  }
  return size / record;
}

/**
 * The images of CIFAR binary batch files, from their sizes alone (each a regular file, a whole
 * number of records, the total within the dataset limit): nothing is read.
 */
export function inspectCifarBatches(files: readonly string[], format: CifarFormat, limits: DataLimits = DATA_LIMITS): DatasetSummary & { counts: number[] } {
  const counts = files.map((file) => withDataFile(file, fileOptions(format, limits), (_, size) => recordCount(size, file, format)));
  const count = counts.reduce((a, b) => a + b, 0);
  if (count * PIXELS > limits.maxBytes) {
    throw new DataError(`the batch files hold ${count} images (${formatBytes(count * PIXELS)} of pixels), more than the ${formatBytes(limits.maxBytes)} a dataset may have`, dirname(files[0]));
  }
  return { count, counts, shape: [SIDE, SIDE, 3], source: dirname(files[0]) };
}

/**
 * Reads CIFAR binary batch files into one dataset (HWC bytes). Files are checked before anything
 * is allocated (see inspectCifarBatches); a label byte outside the variant's classes is a corrupt
 * record. Every problem is a DataError naming the file.
 */
export function loadCifarBatches(name: string, files: readonly string[], format: CifarFormat, limits: DataLimits = DATA_LIMITS): ImageDataset {
  const { labelBytes, labelOffset, classes } = layout(format);
  const record = labelBytes + PIXELS;
  const { count, counts, shape, source } = inspectCifarBatches(files, format, limits);
  const pixels = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  let n = 0;
  files.forEach((file, f) => {
    const bytes = readDataFile(file, fileOptions(format, limits));
    if (recordCount(bytes.length, file, format) !== counts[f]) throw new DataError('the file changed while being read', file);
    for (let r = 0; r < counts[f]; r++, n++) {
      const base = r * record;
      const label = bytes[base + labelOffset];
      if (label >= classes) throw new DataError(`record ${r} has label ${label}, outside 0..${classes - 1} of ${format.variant}`, file);
      labels[n] = label;
      const src = base + labelBytes;
      const dst = n * PIXELS;
      for (let p = 0; p < PLANE; p++) {
        pixels[dst + 3 * p] = bytes[src + p];
        pixels[dst + 3 * p + 1] = bytes[src + PLANE + p];
        pixels[dst + 3 * p + 2] = bytes[src + 2 * PLANE + p];
      }
    }
  });
  return { name, shape, classes, count, pixels, labels, source };
}

/**
 * The batch files of an extracted CIFAR binary archive: `data_batch_*.bin` + `test_batch.bin`
 * (cifar-10-batches-bin) or `train.bin` + `test.bin` (cifar-100-binary).
 */
export function cifarFiles(dir: string, variant: CifarFormat['variant']): { train: string[]; test?: string } {
  requireFolder(dir, 'CIFAR folder');
  const names = listFolder(dir, 'CIFAR folder');
  const optional = (name: string) => (names.includes(name) ? join(dir, name) : undefined);
  if (variant === 'cifar100') {
    if (!names.includes('train.bin')) throw new DataError('no train.bin in the CIFAR-100 folder (expected the extracted cifar-100-binary archive)', dir);
    return { train: [join(dir, 'train.bin')], test: optional('test.bin') };
  }
  const train = names
    .filter((f) => /^data_batch_\d+\.bin$/.test(f))
    .sort()
    .map((f) => join(dir, f));
  if (train.length === 0) throw new DataError('no data_batch_*.bin files in the CIFAR-10 folder (expected the extracted cifar-10-batches-bin archive)', dir);
  return { train, test: optional('test_batch.bin') };
}
