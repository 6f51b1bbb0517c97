import { formatJsonPath, SpecError, type JsonPath } from '../core/errors';

/** Readers for ArchJson fields that throw SpecError naming the offending path. */

export function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readObject(value: unknown, path: JsonPath): Readonly<Record<string, unknown>> {
  if (!isObject(value)) throw new SpecError(`expected an object at ${formatPath(path)}`, path);
  return value;
}

export function readInteger(value: unknown, path: JsonPath, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in ${min}..${max}`;
    throw new SpecError(`expected an integer ${range} at ${formatPath(path)}, got ${JSON.stringify(value)}`, path);
  }
  return value;
}

export function readNumber(value: unknown, path: JsonPath, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new SpecError(`expected a number in [${min}, ${max}] at ${formatPath(path)}, got ${JSON.stringify(value)}`, path);
  }
  return value;
}

export function readString(value: unknown, path: JsonPath): string {
  if (typeof value !== 'string') throw new SpecError(`expected a string at ${formatPath(path)}`, path);
  return value;
}

export function readArray(value: unknown, path: JsonPath, length?: number): readonly unknown[] {
  if (!Array.isArray(value)) throw new SpecError(`expected an array at ${formatPath(path)}`, path);
  if (length !== undefined && value.length !== length) {
    throw new SpecError(`expected ${length} entries at ${formatPath(path)}, got ${value.length}`, path);
  }
  return value;
}

/** `ks[3]`, `layers[0].units`; "the architecture" for the whole. */
export function formatPath(path: JsonPath): string {
  return formatJsonPath(path, 'the architecture');
}
