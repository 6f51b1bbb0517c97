// Helpers of the dataset reader tests: scratch folders, generated images and error assertions.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode as encodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { DataError } from '../../../server/core/errors';

export const tmp = (): string => mkdtempSync(join(tmpdir(), 'nas-data-'));

/** Asserts `fn` throws an instance of `kind` (default DataError) whose message names `file` and matches `pattern`. */
export function rejects(fn: () => unknown, file: string, pattern: RegExp, kind: new (...args: never[]) => Error = DataError): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof kind, `expected a ${kind.name}, got ${String(e)}`);
    assert.ok(e.message.includes(file), `"${e.message}" does not name ${file}`);
    assert.match(e.message, pattern);
    return true;
  });
}

/** The error `fn` throws (it must throw). */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  assert.fail('expected an error');
}

export function pngBytes(width: number, height: number, rgba: (x: number, y: number) => [number, number, number, number]): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) png.data.set(rgba(x, y), (y * width + x) * 4);
  return PNG.sync.write(png);
}

export function writePng(file: string, width: number, height: number, rgba: (x: number, y: number) => [number, number, number, number]): void {
  writeFileSync(file, pngBytes(width, height, rgba));
}

export function jpegBytes(width: number, height: number, rgb: (x: number, y: number) => [number, number, number]): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([...rgb(x, y), 255], (y * width + x) * 4);
  return encodeJpeg({ width, height, data }, 95).data;
}

export function writeJpeg(file: string, width: number, height: number, rgb: (x: number, y: number) => [number, number, number]): void {
  writeFileSync(file, jpegBytes(width, height, rgb));
}

/** Creates `root/<class>` for each class and returns the folders. */
export function classFolders(root: string, classes: string[]): string[] {
  return classes.map((c) => {
    mkdirSync(join(root, c), { recursive: true });
    return join(root, c);
  });
}

export const gray = (v: number): [number, number, number, number] => [v, v, v, 255];

/** A CIFAR binary record: label byte(s), then R, G and B planes of 32x32. */
export function cifarRecord(labels: number[], pixel: (c: number, y: number, x: number) => number): Uint8Array {
  const record = new Uint8Array(labels.length + 3072);
  record.set(labels);
  for (let c = 0; c < 3; c++) for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) record[labels.length + c * 1024 + y * 32 + x] = pixel(c, y, x);
  return record;
}
