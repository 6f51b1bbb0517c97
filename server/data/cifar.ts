import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../core/errors';
import type { ImageDataset } from './imageDataset';

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

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataError(code === 'ENOENT' ? 'file not found' : `cannot read (${code ?? String(e)})`, file);
  }
}

/**
 * Reads CIFAR binary batch files into one dataset (HWC bytes). Files are checked before anything
 * is allocated: a size that is not a whole number of records is a truncated file; a label byte
 * outside the variant's classes is a corrupt record. Both fail with a DataError naming the file.
 */
export function loadCifarBatches(name: string, files: readonly string[], format: CifarFormat): ImageDataset {
  const { labelBytes, labelOffset, classes } = layout(format);
  const record = labelBytes + PIXELS;
  const counts = files.map((file) => {
    const size = sizeOf(file);
    if (size === 0 || size % record !== 0) {
      throw new DataError(
        `truncated or not a ${format.variant} binary batch: ${size} bytes is not a whole number of ${record}-byte records (${Math.floor(size / record)} complete)`,
        file,
      );
    }
    return size / record;
  });
  const count = counts.reduce((a, b) => a + b, 0);
  const pixels = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  let n = 0;
  files.forEach((file, f) => {
    const bytes = readFileSync(file);
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
  return { name, shape: [SIDE, SIDE, 3], classes, count, pixels, labels, source: files.join(', ') };
}

/**
 * The batch files of an extracted CIFAR binary archive: `data_batch_*.bin` + `test_batch.bin`
 * (cifar-10-batches-bin) or `train.bin` + `test.bin` (cifar-100-binary).
 */
export function cifarFiles(dir: string, variant: CifarFormat['variant']): { train: string[]; test?: string } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new DataError('CIFAR folder not found', dir);
  if (variant === 'cifar100') {
    const train = join(dir, 'train.bin');
    if (!existsSync(train)) throw new DataError('no train.bin in the CIFAR-100 folder (expected the extracted cifar-100-binary archive)', dir);
    return { train: [train], test: existsSync(join(dir, 'test.bin')) ? join(dir, 'test.bin') : undefined };
  }
  const train = readdirSync(dir)
    .filter((f) => /^data_batch_\d+\.bin$/.test(f))
    .sort()
    .map((f) => join(dir, f));
  if (train.length === 0) throw new DataError('no data_batch_*.bin files in the CIFAR-10 folder (expected the extracted cifar-10-batches-bin archive)', dir);
  return { train, test: existsSync(join(dir, 'test_batch.bin')) ? join(dir, 'test_batch.bin') : undefined };
}
