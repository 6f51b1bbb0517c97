import { realpathSync } from 'node:fs';
import { basename, join, sep } from 'node:path';
import { DataError } from '../core/errors';
import { listFolder, requireFolder, statFollowingLinks } from './dataFile';
import { DATA_LIMITS, formatBytes, type DataLimits } from './dataLimits';
import { decodeImage, IMAGE_EXTENSIONS, type DecodedImage } from './imageDecode';
import type { DatasetSummary, ImageDataset } from './imageDataset';
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

/** One class subfolder and its image files, sorted by name. */
interface ClassFolder {
  readonly name: string;
  readonly folder: string;
  readonly files: readonly string[];
}

const visible = (name: string) => !name.startsWith('.');

function classImages(folder: string, name: string): string[] {
  const entries = listFolder(folder, 'class folder').filter(visible);
  const images = entries.filter((f) => IMAGE_EXTENSIONS.test(f)).sort();
  if (images.length === 0) {
    const others = entries.length > 0 ? `; it only has ${entries.length} other file(s), e.g. ${entries.sort()[0]}` : '';
    throw new DataError(`class folder "${name}" is empty (no .png, .jpg or .jpeg images${others})`, folder);
  }
  return images.map((f) => join(folder, f));
}

/**
 * The class subfolders of `dir` (hidden ones skipped) and their images, sorted by name. Symbolic
 * links to class folders and to images are followed. Each class folder is identified by its real
 * path, so a link back to the dataset folder (or to a folder containing it) and two names for the
 * same folder are refused instead of reading images twice or under the wrong class.
 */
function listClasses(dir: string): ClassFolder[] {
  requireFolder(dir, 'image folder');
  const root = realpathSync(dir);
  const seen = new Map<string, string>();
  const classes: ClassFolder[] = [];
  let looseImages = 0;
  for (const name of listFolder(dir, 'image folder').filter(visible).sort()) {
    const path = join(dir, name);
    if (!statFollowingLinks(path, 'class folder').isDirectory()) {
      if (IMAGE_EXTENSIONS.test(name)) looseImages++;
      continue;
    }
    const real = realpathSync(path);
    if (real === root || root.startsWith(real + sep)) throw new DataError(`links back to the image folder that contains it (${real}): a symbolic link loop`, path);
    const earlier = seen.get(real);
    if (earlier) throw new DataError(`is the same folder as class folder ${earlier} (both lead to ${real}); each class needs its own folder`, path);
    seen.set(real, path);
    classes.push({ name, folder: path, files: classImages(path, name) });
  }
  if (classes.length === 0) {
    const hint = looseImages > 0 ? `; found ${looseImages} image(s) directly in the folder: move each class's images into a subfolder named after the class` : '';
    throw new DataError(`no class subfolders (expected one subfolder of images per class${hint})`, dir);
  }
  if (classes.length > 256) throw new DataError(`${classes.length} class subfolders; at most 256 classes are supported`, dir);
  return classes;
}

/** The class names of an image folder in label order (sorted), checked like loading checks them. */
export function imageFolderClassNames(dir: string): string[] {
  return listClasses(dir).map((c) => c.name);
}

/** The class folders of a test folder must be classes of the training folder. */
function checkClassNames(found: readonly ClassFolder[], classNames: readonly string[], dir: string): void {
  const unknown = found.map((c) => c.name).filter((c) => !classNames.includes(c));
  if (unknown.length > 0) throw new DataError(`class folder(s) ${unknown.join(', ')} are not classes of the training folder (${classNames.join(', ')})`, dir);
}

/** The shape every image is stored at: the options', else the first image's (decoded only when needed). */
function referenceShape(options: ImageFolderOptions, first: () => DecodedImage): [number, number, 1 | 3] {
  if (options.imageSize && options.channels) return [...options.imageSize, options.channels];
  const image = first();
  return [options.imageSize?.[0] ?? image.height, options.imageSize?.[1] ?? image.width, options.channels ?? image.channels];
}

function checkTotalSize(count: number, shape: readonly number[], dir: string, limits: DataLimits): void {
  const bytes = count * shape[0] * shape[1] * shape[2];
  if (bytes > limits.maxBytes) {
    throw new DataError(`${count} images of ${shape.join('x')} take ${formatBytes(bytes)}, more than the ${formatBytes(limits.maxBytes)} a dataset may have; set a smaller "imageSize"`, dir);
  }
}

/**
 * Checks an image folder without decoding it: class folders (links followed), each holding at least
 * one image, the test folder's classes, and the image shape (decoding only the first image when
 * the options do not fix it).
 */
export function inspectImageFolder(dir: string, options: ImageFolderOptions = {}, limits: DataLimits = DATA_LIMITS): DatasetSummary {
  const classes = listClasses(dir);
  if (options.classNames) checkClassNames(classes, options.classNames, dir);
  const shape = referenceShape(options, () => decodeImage(classes[0].files[0], limits));
  const count = classes.reduce((n, c) => n + c.files.length, 0);
  checkTotalSize(count, shape, dir, limits);
  return { count, shape, source: dir };
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
export function loadImageFolder(name: string, dir: string, options: ImageFolderOptions = {}, limits: DataLimits = DATA_LIMITS): ImageFolderDataset {
  const found = listClasses(dir);
  const classNames = options.classNames ?? found.map((c) => c.name);
  if (options.classNames) checkClassNames(found, classNames, dir);
  const count = found.reduce((n, c) => n + c.files.length, 0);
  const firstFile = found[0].files[0];
  const first = decodeImage(firstFile, limits);
  const [height, width, channels] = referenceShape(options, () => first);
  checkTotalSize(count, [height, width, channels], dir, limits);
  const size = height * width * channels;
  const pixels = new Uint8Array(count * size);
  const labels = new Uint8Array(count);
  let n = 0;
  for (const { name: className, files } of found) {
    for (const file of files) {
      const image = n === 0 ? first : decodeImage(file, limits);
      if (!options.imageSize && (image.height !== height || image.width !== width)) {
        throw new DataError(
          `image is ${image.width}x${image.height} but ${basename(firstFile)} is ${width}x${height}; set "imageSize": [height, width] in the dataset spec to resize images of mixed sizes`,
          file,
        );
      }
      if (!options.channels && image.channels !== channels) {
        const kind = (c: number) => (c === 1 ? 'grayscale' : 'color');
        throw new DataError(
          `image is ${kind(image.channels)} but ${basename(firstFile)} is ${kind(channels)}; set "channels": 1 or 3 in the dataset spec to convert images of mixed channels`,
          file,
        );
      }
      const converted = convertChannels(image, channels);
      const sized = image.height === height && image.width === width ? converted : resizeBilinear(converted, image.height, image.width, channels, height, width);
      pixels.set(sized, n * size);
      labels[n++] = classNames.indexOf(className);
    }
  }
  return { name, shape: [height, width, channels], classes: classNames.length, count, pixels, labels, source: dir, classNames };
}
