import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DataError } from '../core/errors';
import { decodeImage, IMAGE_EXTENSIONS, type DecodedImage } from './imageDecode';
import type { ImageDataset } from './imageDataset';
import { resizeBilinear } from './resizeImage';

export interface ImageFolderOptions {
  /** [height, width] every image is resized to; without it, images of mixed sizes are an error. */
  readonly imageSize?: readonly [number, number];
  /** 1 (gray) or 3 (RGB) channels every image is converted to; without it, mixed channels are an error. */
  readonly channels?: 1 | 3;
  /** Class names in label order (a test folder must use the training folder's classes). */
  readonly classNames?: readonly string[];
}

export interface ImageFolderDataset extends ImageDataset {
  readonly classNames: readonly string[];
}

/** Subfolders of `dir` (one per class), sorted by name; hidden folders are skipped. */
function classFolders(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new DataError('image folder not found', dir);
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  if (names.length === 0) throw new DataError('no class subfolders (expected one subfolder of images per class)', dir);
  if (names.length > 256) throw new DataError(`${names.length} class subfolders; at most 256 classes are supported`, dir);
  return names;
}

/** Gray -> RGB by replication, RGB -> gray by ITU-R BT.601 luma. */
function convertChannels(image: DecodedImage, channels: 1 | 3): Uint8Array {
  if (image.channels === channels) return image.data;
  const pixels = image.width * image.height;
  const out = new Uint8Array(pixels * channels);
  for (let p = 0; p < pixels; p++) {
    if (channels === 3) out.fill(image.data[p], 3 * p, 3 * p + 3);
    else out[p] = Math.round(0.299 * image.data[3 * p] + 0.587 * image.data[3 * p + 1] + 0.114 * image.data[3 * p + 2]);
  }
  return out;
}

/**
 * Images in class subfolders (`dir/<class>/*.png|jpg|jpeg`), labelled by the sorted folder names.
 * Without `imageSize`/`channels` the first image fixes the size/channels and any image that
 * differs is rejected with a message naming it and the option that would convert it.
 */
export function loadImageFolder(name: string, dir: string, options: ImageFolderOptions = {}): ImageFolderDataset {
  const found = classFolders(dir);
  const classNames = options.classNames ?? found;
  if (options.classNames) {
    const unknown = found.filter((c) => !classNames.includes(c));
    if (unknown.length > 0) throw new DataError(`class folder(s) ${unknown.join(', ')} are not classes of the training folder (${classNames.join(', ')})`, dir);
  }
  let reference: { file: string; height: number; width: number; channels: 1 | 3 } | undefined;
  const images: Uint8Array[] = [];
  const labels: number[] = [];
  for (const className of found) {
    const folder = join(dir, className);
    const files = readdirSync(folder)
      .filter((f) => IMAGE_EXTENSIONS.test(f))
      .sort();
    if (files.length === 0) throw new DataError(`class folder "${className}" is empty (no .png, .jpg or .jpeg images)`, folder);
    for (const f of files) {
      const file = join(folder, f);
      const image = decodeImage(file);
      reference ??= {
        file,
        height: options.imageSize?.[0] ?? image.height,
        width: options.imageSize?.[1] ?? image.width,
        channels: options.channels ?? image.channels,
      };
      if (!options.imageSize && (image.height !== reference.height || image.width !== reference.width)) {
        throw new DataError(
          `image is ${image.width}x${image.height} but ${basename(reference.file)} is ${reference.width}x${reference.height}; set "imageSize": [height, width] in the dataset spec to resize images of mixed sizes`,
          file,
        );
      }
      if (!options.channels && image.channels !== reference.channels) {
        const kind = (c: number) => (c === 1 ? 'grayscale' : 'color');
        throw new DataError(
          `image is ${kind(image.channels)} but ${basename(reference.file)} is ${kind(reference.channels)}; set "channels": 1 or 3 in the dataset spec to convert images of mixed channels`,
          file,
        );
      }
      const converted = convertChannels(image, reference.channels);
      const sized =
        image.height === reference.height && image.width === reference.width
          ? converted
          : resizeBilinear(converted, image.height, image.width, reference.channels, reference.height, reference.width);
      images.push(sized);
      labels.push(classNames.indexOf(className));
    }
  }
  const { height, width, channels } = reference!;
  const size = height * width * channels;
  const pixels = new Uint8Array(images.length * size);
  images.forEach((image, n) => pixels.set(image, n * size));
  return { name, shape: [height, width, channels], classes: classNames.length, count: images.length, pixels, labels: Uint8Array.from(labels), source: dir, classNames };
}
