import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DataError } from '../core/errors';

/** An IDX tensor (the MNIST / Fashion-MNIST file format) of unsigned bytes. */
export interface IdxTensor {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/**
 * Reads an IDX file of unsigned bytes (type 0x08), plain or gzip-compressed (as MNIST is
 * distributed). Truncated or malformed files fail with a DataError naming the file.
 */
export function readIdx(file: string): IdxTensor {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataError(code === 'ENOENT' ? 'file not found' : `cannot read (${code ?? String(e)})`, file);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch {
      throw new DataError('corrupt gzip data', file);
    }
  }
  return parseIdx(bytes, file);
}

export function parseIdx(bytes: Uint8Array, file: string): IdxTensor {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataError('not an IDX file (the first two bytes must be zero)', file);
  }
  if (bytes[2] !== 0x08) throw new DataError(`IDX element type 0x${bytes[2].toString(16)} is not supported (only unsigned bytes, 0x08)`, file);
  const rank = bytes[3];
  const header = 4 + 4 * rank;
  if (rank === 0 || bytes.length < header) throw new DataError(`truncated IDX header (rank ${rank})`, file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length - header < size) {
    throw new DataError(`truncated: header declares ${dims.join('x')} = ${size} bytes of data, file has ${bytes.length - header}`, file);
  }
  return { dims, data: bytes.subarray(header, header + size) };
}

/** An IDX file of unsigned bytes (type 0x08) with the given dimensions, as `parseIdx` reads it. */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const size = dims.reduce((a, b) => a * b, 1);
  if (size !== data.length) throw new RangeError(`IDX dims ${dims.join('x')} need ${size} bytes, got ${data.length}`);
  const out = new Uint8Array(4 + 4 * dims.length + size);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
