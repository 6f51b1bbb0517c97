import { readFileSync } from 'node:fs';
import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { DataError, errorMessage } from '../core/errors';

/** A decoded image as HWC bytes: 1 channel when every pixel is gray (R = G = B), else RGB. */
export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly data: Uint8Array;
}

/** Image files the folder reader decodes, by extension. */
export const IMAGE_EXTENSIONS = /\.(png|jpe?g)$/i;

function isPng(bytes: Uint8Array): boolean {
  return bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
}

function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

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

/** Decodes a PNG or JPEG file (by its signature); a DataError names the file when it cannot. */
export function decodeImage(file: string): DecodedImage {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new DataError(`cannot read (${(e as NodeJS.ErrnoException).code ?? errorMessage(e)})`, file);
  }
  try {
    if (isPng(bytes)) {
      const png = PNG.sync.read(bytes);
      return fromRgba(png.width, png.height, png.data);
    }
    if (isJpeg(bytes)) {
      const jpeg = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true });
      return fromRgba(jpeg.width, jpeg.height, jpeg.data);
    }
  } catch (e) {
    throw new DataError(`cannot decode ${isPng(bytes) ? 'PNG' : 'JPEG'} image: ${errorMessage(e)}`, file);
  }
  throw new DataError('not a PNG or JPEG image (unrecognised file signature)', file);
}
