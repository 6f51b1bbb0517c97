import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { DataError, errorMessage } from '../core/errors';
import { readDataFile } from './dataFile';
import { DATA_LIMITS, type DataLimits } from './dataLimits';
import { readImageHeader } from './imageHeader';

/** A decoded image as HWC bytes: 1 channel when every pixel is gray (R = G = B), else RGB. */
export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly data: Uint8Array;
}

/** Image files the folder reader decodes, by extension. */
export const IMAGE_EXTENSIONS = /\.(png|jpe?g)$/i;

/** RGBA -> HWC with 1 channel (all pixels gray) or 3 (alpha dropped). */
function fromRgba(width: number, height: number, rgba: Uint8Array): DecodedImage {
  const pixels = width * height;
  let gray = true;
  for (let p = 0; p < pixels && gray; p++) gray = rgba[4 * p] === rgba[4 * p + 1] && rgba[4 * p] === rgba[4 * p + 2];
  const channels = gray ? 1 : 3;
  const data = new Uint8Array(pixels * channels);
  for (let p = 0; p < pixels; p++) for (let k = 0; k < channels; k++) data[p * channels + k] = rgba[4 * p + k];
  return { width, height, channels, data };
}

/**
 * Decodes a PNG or JPEG file (by its signature). The size its header declares is checked against
 * `limits.maxImagePixels` before decoding, so a corrupt or hostile header cannot allocate gigabytes;
 * every problem is a DataError naming the file.
 */
export function decodeImage(file: string, limits: DataLimits = DATA_LIMITS): DecodedImage {
  const bytes = readDataFile(file, { what: 'image', maxBytes: limits.maxBytes });
  const header = readImageHeader(bytes);
  if (!header) throw new DataError('not a PNG or JPEG image (unrecognised file signature)', file);
  const { format, width = 0, height = 0 } = header;
  if (width * height > limits.maxImagePixels) {
    throw new DataError(`${format} header declares ${width}x${height} pixels, more than the ${limits.maxImagePixels / 1e6} megapixels an image may have`, file);
  }
  try {
    if (format === 'PNG') {
      const png = PNG.sync.read(bytes);
      return fromRgba(png.width, png.height, png.data);
    }
    const jpeg = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true });
    return fromRgba(jpeg.width, jpeg.height, jpeg.data);
  } catch (e) {
    throw new DataError(`cannot decode ${format} image: ${errorMessage(e)}`, file);
  }
}
