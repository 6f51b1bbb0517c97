import { constants as zlibConstants, gunzipSync, type ZlibOptions } from 'node:zlib';
import { DataError, errorMessage } from '../core/errors';
import { readExactly, withDataFile, type DataFileOptions } from './dataFile';
import { DATA_LIMITS, formatBytes, type DataLimits } from './dataLimits';

/** An IDX tensor (the MNIST / Fashion-MNIST file format) of unsigned bytes. */
export interface IdxTensor {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/** What an IDX header declares: the dimensions and where the data lies. */
export interface IdxHeader {
  readonly dims: readonly number[];
  /** Bytes before the data: the magic number (4) and 4 per dimension. */
  readonly headerBytes: number;
  /** Bytes of data the dimensions declare (one per element: only unsigned bytes are supported). */
  readonly dataBytes: number;
}

/** The longest IDX header: rank 255. */
const MAX_HEADER_BYTES = 4 + 4 * 255;

/**
 * Compressed bytes read to find the header of a gzip-compressed file. Deflate inflates at most
 * ~1000x, so decompressing this prefix stays below ~64 MB even for a bomb; a real header (at most
 * 1 KB after a gzip header of a few dozen bytes) needs far less.
 */
const GZIP_HEADER_PREFIX_BYTES = 64 * 1024;

const fileOptions = (limits: DataLimits): DataFileOptions => ({ what: 'IDX file', maxBytes: limits.maxBytes });

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Parses the IDX header at the start of `bytes` (the data need not follow). The declared size is
 * multiplied out dimension by dimension, so a header declaring terabytes is refused without
 * overflowing and before anything of that size is allocated.
 */
export function parseIdxHeader(bytes: Uint8Array, file: string, limits: DataLimits = DATA_LIMITS): IdxHeader {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataError('not an IDX file (bad magic number: the first two bytes must be zero)', file);
  }
  if (bytes[2] !== 0x08) throw new DataError(`IDX element type 0x${bytes[2].toString(16)} is not supported (only unsigned bytes, 0x08)`, file);
  const rank = bytes[3];
  const headerBytes = 4 + 4 * rank;
  if (rank === 0 || bytes.length < headerBytes) throw new DataError(`truncated IDX header (rank ${rank})`, file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  let dataBytes = 1;
  for (const d of dims) {
    dataBytes *= d;
    if (dataBytes > limits.maxBytes) {
      throw new DataError(`the IDX header declares ${dims.join('x')} bytes of data, more than the ${formatBytes(limits.maxBytes)} a dataset file may have`, file);
    }
  }
  return { dims, headerBytes, dataBytes };
}

/** The header of an uncompressed file, checked against the file's real size. */
function plainHeader(start: Uint8Array, size: number, file: string, limits: DataLimits): IdxHeader {
  const header = parseIdxHeader(start, file, limits);
  const actual = size - header.headerBytes;
  if (actual !== header.dataBytes) {
    const declared = `header declares ${header.dims.join('x')} = ${header.dataBytes} bytes of data, file has ${actual}`;
    throw new DataError(actual < header.dataBytes ? `truncated: ${declared}` : `${declared} (the header does not describe this file)`, file);
  }
  return header;
}

/** gunzipSync with its failures as DataErrors: `tooLarge` is the message when output would pass `maxOutputLength`. */
function gunzip(bytes: Uint8Array, file: string, options: ZlibOptions, tooLarge?: string): Buffer {
  try {
    return gunzipSync(bytes, options);
  } catch (e) {
    if (tooLarge && (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new DataError(tooLarge, file);
    throw new DataError(`corrupt or truncated gzip data (${errorMessage(e)})`, file);
  }
}

/** Decompresses growing prefixes of `compressed` until they hold the IDX header. */
function gunzipHeader(compressed: Uint8Array, file: string, limits: DataLimits): IdxHeader {
  const partial = { finishFlush: zlibConstants.Z_SYNC_FLUSH };
  for (let length = 512; ; length *= 4) {
    const prefix = compressed.subarray(0, Math.min(length, compressed.length, GZIP_HEADER_PREFIX_BYTES));
    const out = gunzip(prefix, file, partial);
    const complete = out.length >= 4 && out.length >= 4 + 4 * out[3];
    if (out.length < 4 && prefix.length === GZIP_HEADER_PREFIX_BYTES) {
      throw new DataError(`no IDX data in the first ${formatBytes(GZIP_HEADER_PREFIX_BYTES)} of the gzip file`, file);
    }
    if (complete || prefix.length === compressed.length || prefix.length === GZIP_HEADER_PREFIX_BYTES) return parseIdxHeader(out, file, limits);
  }
}

/**
 * Decompresses a gzip-compressed IDX file to at most the size its header declares: a file that
 * inflates further (a gzip bomb, or data that does not match its header) stops there.
 */
function gunzipIdx(compressed: Buffer, file: string, limits: DataLimits): IdxTensor {
  const header = gunzipHeader(compressed, file, limits);
  const declared = header.headerBytes + header.dataBytes;
  const bytes = gunzip(
    compressed,
    file,
    { maxOutputLength: declared },
    `gzip data decompresses to more than ${formatBytes(declared)}, the size its IDX header declares (${header.dims.join('x')}): the file is corrupt or its header is wrong`,
  );
  if (bytes.length < declared) {
    throw new DataError(`truncated: header declares ${header.dims.join('x')} = ${header.dataBytes} bytes of data, the decompressed file has ${bytes.length - header.headerBytes}`, file);
  }
  return { dims: header.dims, data: bytes.subarray(header.headerBytes) };
}

/**
 * Reads an IDX file of unsigned bytes (type 0x08), plain or gzip-compressed (as MNIST is
 * distributed). The header is checked against the file's size (or, compressed, against what the
 * data inflates to) before the data is read; every problem is a DataError naming the file.
 */
export function readIdx(file: string, limits: DataLimits = DATA_LIMITS): IdxTensor {
  return withDataFile(file, fileOptions(limits), (fd, size) => {
    const start = readExactly(fd, 0, Math.min(size, MAX_HEADER_BYTES), file);
    if (isGzip(start)) return gunzipIdx(readExactly(fd, 0, size, file), file, limits);
    const header = plainHeader(start, size, file, limits);
    return { dims: header.dims, data: readExactly(fd, header.headerBytes, header.dataBytes, file) };
  });
}

/**
 * The checked header of an IDX file without its data: a plain file's size must match the header;
 * a compressed file only has its first bytes decompressed (its length is checked when it is read).
 */
export function readIdxHeader(file: string, limits: DataLimits = DATA_LIMITS): IdxHeader {
  return withDataFile(file, fileOptions(limits), (fd, size) => {
    const start = readExactly(fd, 0, Math.min(size, MAX_HEADER_BYTES), file);
    if (isGzip(start)) return gunzipHeader(readExactly(fd, 0, Math.min(size, GZIP_HEADER_PREFIX_BYTES), file), file, limits);
    return plainHeader(start, size, file, limits);
  });
}

/** An IDX file of unsigned bytes (type 0x08) with the given dimensions, as `readIdx` reads it. */
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
