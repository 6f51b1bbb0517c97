/**
 * Hand-written runtime checks for messages crossing the webview boundary. A check returns its
 * input typed as T or throws ValidationError naming the offending path; nothing is evaluated.
 */

export class ValidationError extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly actual: unknown,
  ) {
    super(`${path || 'message'}: expected ${expected}, got ${describe(actual)}`);
    this.name = 'ValidationError';
  }

  /** The same error with the path prefix `from` (a placeholder like `items[]`) replaced by `to`. */
  relocated(from: string, to: string): ValidationError {
    return this.path.startsWith(from) ? new ValidationError(to + this.path.slice(from.length), this.expected, this.actual) : this;
  }
}

/**
 * Runs `check` on every element under one placeholder path and names the element's real path
 * only when it fails: building a path string per element made validating 100,000 trials
 * allocation-bound.
 */
function checkEach(count: number, at: (i: number) => unknown, check: Check<unknown>, placeholder: string, pathOf: (i: number) => string): void {
  let i = 0;
  try {
    for (; i < count; i++) check(at(i), placeholder);
  } catch (error) {
    throw error instanceof ValidationError ? error.relocated(placeholder, pathOf(i)) : error;
  }
}

export type Check<T> = (value: unknown, path: string) => T;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return typeof value === 'number' ? String(value) : typeof value;
}

export const str: Check<string> = (v, path) => {
  if (typeof v !== 'string') throw new ValidationError(path, 'a string', v);
  return v;
};

export const num: Check<number> = (v, path) => {
  if (typeof v !== 'number' || Number.isNaN(v)) throw new ValidationError(path, 'a number', v);
  return v;
};

export const int: Check<number> = (v, path) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new ValidationError(path, 'a non-negative integer', v);
  return v;
};

export const bool: Check<boolean> = (v, path) => {
  if (typeof v !== 'boolean') throw new ValidationError(path, 'true or false', v);
  return v;
};

export function oneOf<const T extends readonly (string | number)[]>(...values: T): Check<T[number]> {
  return (v, path) => {
    if (!values.includes(v as T[number])) throw new ValidationError(path, `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`, v);
    return v as T[number];
  };
}

export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (v, path) => (v === undefined ? undefined : check(v, path));
}

export function arrayOf<T>(check: Check<T>, maxLength = Number.MAX_SAFE_INTEGER): Check<readonly T[]> {
  return (v, path) => {
    if (!Array.isArray(v)) throw new ValidationError(path, 'an array', v);
    if (v.length > maxLength) throw new ValidationError(path, `at most ${maxLength} entries`, v);
    checkEach(v.length, (i) => v[i], check, `${path}[]`, (i) => `${path}[${i}]`);
    return v as readonly T[];
  };
}

export function isRecord(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function recordOf<T>(check: Check<T>): Check<Readonly<Record<string, T>>> {
  return (v, path) => {
    if (!isRecord(v)) throw new ValidationError(path, 'an object', v);
    const keys = Object.keys(v);
    checkEach(keys.length, (i) => v[keys[i]], check, `${path}.{}`, (i) => `${path}.${keys[i]}`);
    return v as Readonly<Record<string, T>>;
  };
}

type Shape = Readonly<Record<string, Check<unknown>>>;
type Checked<S extends Shape> = { readonly [K in keyof S]: ReturnType<S[K]> };

/** An object with (at least) these fields; unknown fields are left alone. */
export function object<S extends Shape>(shape: S): Check<Checked<S>> {
  const keys = Object.keys(shape);
  // Element checks of an array all get the same placeholder path: their field paths are built once.
  let lastPath: string | undefined;
  let fieldPaths: string[] = [];
  return (v, path) => {
    if (!isRecord(v)) throw new ValidationError(path, 'an object', v);
    if (path !== lastPath) {
      lastPath = path;
      fieldPaths = keys.map((key) => (path ? `${path}.${key}` : key));
    }
    const paths = fieldPaths; // a nested call of the same check may replace fieldPaths
    for (let k = 0; k < keys.length; k++) shape[keys[k]](v[keys[k]], paths[k]);
    return v as Checked<S>;
  };
}

/** A discriminated union: picks the check by the value of `field`. */
export function union<T>(field: string, variants: Readonly<Record<string, Check<T>>>): Check<T> {
  return (v, path) => {
    if (!isRecord(v)) throw new ValidationError(path, 'an object', v);
    const tag = v[field];
    if (typeof tag !== 'string' || !Object.hasOwn(variants, tag)) {
      throw new ValidationError(path ? `${path}.${field}` : field, `one of ${Object.keys(variants).join(', ')}`, tag);
    }
    return variants[tag](v, path);
  };
}

export type Validated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export function validate<T>(check: Check<T>, value: unknown): Validated<T> {
  try {
    return { ok: true, value: check(value, '') };
  } catch (error) {
    if (error instanceof ValidationError) return { ok: false, error: error.message };
    throw error;
  }
}
