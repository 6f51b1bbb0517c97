/**
 * A seeded generator of hostile spec files: the examples (made cheap to run), changed by one to
 * three mutations each: wrong types, huge, negative and non-finite numbers, deep nesting, huge
 * strings and lists, unknown and missing keys, file options pointing anywhere, byte order marks,
 * comments, duplicate keys, truncation and random bytes. Same seed, same cases.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parse } from 'jsonc-parser';
import { Rng } from '../../server/core/rng';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Path = (string | number)[];

export type SpecKind = 'experiment' | 'supernet';

export interface BaseSpec {
  /** The example file it comes from. */
  readonly name: string;
  readonly kind: SpecKind;
  readonly value: JsonObject;
}

export interface HostileSpec {
  readonly id: number;
  readonly kind: SpecKind;
  readonly base: string;
  /** Mutations applied, joined by "+". */
  readonly mutation: string;
  /** The file's bytes (random-bytes mutations need not be UTF-8). */
  readonly bytes: Buffer;
}

/** Options that name files or folders; relative ones resolve against the spec's folder. */
const FILE_OPTIONS = new Set(['table', 'predictor', 'lut', 'flopsTable', 'run', 'trainImages', 'trainLabels', 'testImages', 'testLabels', 'dir', 'train', 'test']);

/**
 * The examples as bases: file options made absolute (the cases are written elsewhere) and
 * budgets made tiny, so that a mutation that keeps a spec valid gives a run of seconds.
 * `supernetRun` replaces the trained supernet run the supernet-search example names.
 */
export function loadBases(examplesDir: string, supernetRun?: string): BaseSpec[] {
  return readdirSync(examplesDir)
    .filter((f) => /\.(nas|supernet)\.json$/.test(f))
    .sort()
    .map((name) => {
      const value = parse(readFileSync(join(examplesDir, name), 'utf8')) as JsonObject;
      absolutePaths(value, examplesDir);
      const evaluator = value.evaluator as JsonObject | undefined;
      if (supernetRun && evaluator?.type === 'supernet') evaluator.run = supernetRun;
      return { name, kind: name.endsWith('.supernet.json') ? 'supernet' : 'experiment', value: tinyBudget(value) as JsonObject };
    });
}

function absolutePaths(value: Json, baseDir: string): void {
  if (!value || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (typeof child === 'string' && FILE_OPTIONS.has(key) && !isAbsolute(child)) (value as JsonObject)[key] = resolve(baseDir, child);
    else absolutePaths(child, baseDir);
  }
}

/** Upper bounds on what makes a run take long; absent options count at their (larger) defaults. */
const EXPERIMENT_CAPS: Record<string, Record<string, number>> = {
  budget: { trials: 3 },
  train: { epochs: 1, trainSamples: 256, validationSamples: 128, testSamples: 128, latencyRepeats: 3, workers: 1 },
  supernet: { calibrationSamples: 64, validationSamples: 64, testSamples: 0, latencyRepeats: 3, workers: 1 },
};
const TRAINING_CAPS: Record<string, number> = { trainSamples: 256, validation: 64, testSamples: 64, calibrationSamples: 64, batchSize: 32, workers: 1 };

/**
 * A copy of a spec value whose run is cheap: budgets, epochs, sample counts and repeats at most
 * a few. Values already smaller stay; a spec that is not an object is returned as it is.
 */
export function tinyBudget(spec: Json): Json {
  if (!isObject(spec)) return spec;
  const out = structuredClone(spec);
  const cap = (object: Json | undefined, caps: Record<string, number>) => {
    if (!isObject(object)) return;
    for (const [key, limit] of Object.entries(caps)) object[key] = typeof object[key] === 'number' ? Math.min(object[key] as number, limit) : limit;
  };
  if (isObject(out.budget)) {
    cap(out.budget, EXPERIMENT_CAPS.budget);
    delete out.budget.minutes;
  }
  const evaluator = out.evaluator;
  if (isObject(evaluator) && typeof evaluator.type === 'string' && EXPERIMENT_CAPS[evaluator.type]) cap(evaluator, EXPERIMENT_CAPS[evaluator.type]);
  if (isObject(out.training)) {
    cap(out.training, TRAINING_CAPS);
    if (typeof out.training.epochs === 'number') out.training.epochs = 1;
    if (Array.isArray(out.training.phases)) for (const phase of out.training.phases) if (isObject(phase)) phase.epochs = 1;
  }
  return out;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Numbers that overflow, underflow, lose precision, are negative, fractional or not JSON at all. */
const HOSTILE_NUMBERS = ['1e309', '-1e309', '1e400', '1e308', '-1e308', '1e20', '9007199254740993', '4294967296', '2147483648', '-1', '0', '-0', '0.5', '1e-320', `1${'0'.repeat(400)}`, 'NaN', 'Infinity', '-Infinity', '0x10', '01', '1.', '.5', '+1'];

/** Where file options may point: outside the project, at devices, at nothing. */
function hostilePaths(fifo: string | undefined): string[] {
  return [
    '../../etc/passwd',
    `${'../'.repeat(60)}etc/shadow`,
    '/etc/passwd',
    '/etc',
    '/',
    '',
    '.',
    '/dev/null',
    '/dev/zero',
    '/proc/self/mem',
    '/nonexistent/file.csv',
    'a\u0000b',
    'file:///etc/passwd',
    'C:\\Windows\\system32\\config',
    '~/data',
    ...(fifo ? [fifo] : []),
  ];
}

const UNKNOWN_KEYS = ['populaton', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', ' ', '\u0000', 'x'.repeat(5000), '$schema', 'type'];

/** Text of `levels` nested arrays or objects. */
function nesting(levels: number, objects: boolean): string {
  return objects ? '{"a":'.repeat(levels) + '0' + '}'.repeat(levels) : '['.repeat(levels) + ']'.repeat(levels);
}

interface Draft {
  value: Json;
  /** Raw JSON text for markers (`"@@RAW0@@"`) the value holds: literals JSON.stringify cannot write. */
  raw: string[];
}

interface Mutation {
  readonly name: string;
  readonly weight: number;
  /** Changes the value before it is written ... */
  readonly value?: (draft: Draft, rng: Rng, context: GeneratorContext) => void;
  /** ... or the bytes after. */
  readonly bytes?: (bytes: Buffer, rng: Rng) => Buffer;
}

interface GeneratorContext {
  readonly paths: string[];
}

function rawMarker(draft: Draft, text: string): string {
  draft.raw.push(text);
  return `@@RAW${draft.raw.length - 1}@@`;
}

/** Every location in the value (the root is `[]`), parents before children. */
function locations(value: Json, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(value)) value.forEach((v, i) => locations(v, [...path, i], out));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) locations(v, [...path, k], out);
  return out;
}

function get(value: Json, path: Path): Json {
  return path.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k], value);
}

function set(draft: Draft, path: Path, next: Json): void {
  if (path.length === 0) {
    draft.value = next;
    return;
  }
  (get(draft.value, path.slice(0, -1)) as Record<string | number, Json>)[path[path.length - 1]] = next;
}

function pick(rng: Rng, draft: Draft, filter: (path: Path, value: Json) => boolean, nonRoot = true): Path | undefined {
  const candidates = locations(draft.value).filter((p) => (!nonRoot || p.length > 0) && filter(p, get(draft.value, p)));
  return candidates.length > 0 ? rng.choice(candidates) : undefined;
}

function randomText(rng: Rng, length: number): string {
  const alphabet = ['a', 'Z', '0', ' ', '"', '\\', '/', 'é', '€', '\u{1F600}', '\u0000', '\n', '{', '['];
  const unit = Array.from({ length: 64 }, () => rng.choice(alphabet)).join('');
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

function otherTypeValue(rng: Rng, current: Json): Json {
  const options: Json[] = ['text', 42, -3.5, true, false, null, [], {}, [1, 2, 3], { a: 1 }, ['x'], ''];
  const kind = (v: Json) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
  return rng.choice(options.filter((o) => kind(o) !== kind(current)));
}

const MUTATIONS: readonly Mutation[] = [
  {
    name: 'wrong-type',
    weight: 3,
    value: (d, rng) => {
      const at = pick(rng, d, () => true);
      if (at) set(d, at, otherTypeValue(rng, get(d.value, at)));
    },
  },
  {
    name: 'hostile-number',
    weight: 4,
    value: (d, rng) => {
      const at = pick(rng, d, (_, v) => typeof v === 'number') ?? pick(rng, d, () => true);
      if (at) set(d, at, rawMarker(d, rng.choice(HOSTILE_NUMBERS)));
    },
  },
  {
    name: 'deep-nesting',
    weight: 1,
    value: (d, rng) => {
      const at = pick(rng, d, () => true);
      if (at) set(d, at, rawMarker(d, nesting(rng.choice([62, 63, 64, 65, 200, 10_000, 100_000]), rng.next() < 0.5)));
    },
  },
  {
    name: 'huge-string',
    weight: 1,
    value: (d, rng) => {
      const at = pick(rng, d, (_, v) => typeof v === 'string') ?? pick(rng, d, () => true);
      if (at) set(d, at, randomText(rng, rng.choice([201, 4097, 10_001, 100_000, 1_100_000])));
    },
  },
  {
    name: 'huge-list',
    weight: 1,
    value: (d, rng) => {
      const at = pick(rng, d, (_, v) => Array.isArray(v)) ?? pick(rng, d, () => true);
      if (!at) return;
      const length = rng.choice([17, 65, 257, 40_000, 150_000]);
      const current = get(d.value, at);
      const first = Array.isArray(current) && current.length > 0 ? current[0] : 1;
      const item = rng.choice<(i: number) => Json>([() => first, (i) => i, (i) => `bad metric ${i}`, (i) => `m${i}`]);
      set(d, at, Array.from({ length }, (_, i) => item(i)));
    },
  },
  {
    name: 'unknown-key',
    weight: 2,
    value: (d, rng) => {
      const at = pick(rng, d, (_, v) => isObject(v), false);
      if (at) (get(d.value, at) as JsonObject)[rng.choice(UNKNOWN_KEYS)] = otherTypeValue(rng, null);
    },
  },
  {
    name: 'missing-key',
    weight: 1,
    value: (d, rng) => {
      const at = pick(rng, d, (p) => typeof p[p.length - 1] === 'string');
      if (at) delete (get(d.value, at.slice(0, -1)) as JsonObject)[at[at.length - 1] as string];
    },
  },
  {
    name: 'file-path',
    weight: 2,
    value: (d, rng, context) => {
      const at = pick(rng, d, (p, v) => typeof v === 'string' && FILE_OPTIONS.has(String(p[p.length - 1]))) ?? pick(rng, d, (_, v) => typeof v === 'string');
      if (at) set(d, at, rng.choice(context.paths));
    },
  },
  { name: 'bom', weight: 1, bytes: (b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]) },
  {
    name: 'comments',
    weight: 1,
    bytes: (b, rng) => {
      const lines = b.toString('utf8').split('\n');
      for (let n = 1 + rng.int(5); n > 0; n--) {
        const i = rng.int(lines.length);
        lines[i] = rng.choice([`${lines[i]} // a comment`, `/* a block */ ${lines[i]}`, `${lines[i]} /* a\nblock over lines */`]);
      }
      // Sometimes a trailing comma before a closing bracket, sometimes a comment never closed.
      const text = lines.join('\n');
      const roll = rng.next();
      if (roll < 0.3) return Buffer.from(text.replace(/(\S)(\s*\n\s*[}\]])/, '$1,$2'));
      if (roll < 0.4) return Buffer.from(`${text}\n/* never closed`);
      return Buffer.from(text);
    },
  },
  {
    name: 'duplicate-key',
    weight: 1,
    bytes: (b, rng) => {
      const lines = b.toString('utf8').split('\n');
      const keyLines = lines.map((l, i) => (/^\s*"[^"]*": ("(?:[^"\\]|\\.)*"|[-+\w.]+),?$/.test(l) ? i : -1)).filter((i) => i >= 0);
      if (keyLines.length === 0) return b;
      const i = rng.choice(keyLines);
      const line = lines[i];
      const withComma = line.endsWith(',') ? line : `${line},`;
      // Before the original (which still counts), or a different value after it (which then counts).
      const copy = rng.next() < 0.5 ? [withComma, line] : [withComma, line.replace(/: .*?(,?)$/, `: ${rng.choice(['0', '"x"', 'null', '1e309', '[]'])}$1`)];
      lines.splice(i, 1, ...copy);
      return Buffer.from(lines.join('\n'));
    },
  },
  { name: 'truncation', weight: 1, bytes: (b, rng) => b.subarray(0, rng.int(b.length + 1)) },
  {
    name: 'random-bytes',
    weight: 1,
    bytes: (b, rng) => {
      const out = Buffer.from(b);
      for (let n = rng.choice([1, 5, 50]); n > 0 && out.length > 0; n--) out[rng.int(out.length)] = rng.int(256);
      return out;
    },
  },
  {
    name: 'garbage',
    weight: 1,
    bytes: (b, rng) => {
      const randomBytes = (n: number) => Buffer.from(Array.from({ length: n }, () => rng.int(256)));
      const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(b.toString('utf8'), 'utf16le')]);
      const options = [Buffer.alloc(0), Buffer.from(' \n\t '), Buffer.from('null'), Buffer.from('[]'), Buffer.from('42'), Buffer.from('"spec"'), Buffer.from(`[${b.toString('utf8')}]`), Buffer.from('}'.repeat(100_000)), utf16, randomBytes(1), randomBytes(100), randomBytes(10_000)];
      return rng.choice(options);
    },
  },
  { name: 'unchanged', weight: 0.5, bytes: (b) => b },
];

export interface GeneratorOptions {
  readonly seed: number;
  /** A named pipe for file options to point at (reading one blocks until a writer comes). */
  readonly fifo?: string;
}

/** Case `id` of the seed: a base and one to three mutations, value ones applied before byte ones. */
export function hostileSpec(bases: readonly BaseSpec[], id: number, options: GeneratorOptions): HostileSpec {
  const rng = new Rng(options.seed).fork(id);
  const base = rng.choice(bases);
  const count = rng.choice([1, 1, 1, 2, 3]);
  const chosen = Array.from({ length: count }, () => MUTATIONS[rng.weightedIndex(MUTATIONS.map((m) => m.weight))]);
  chosen.sort((a, b) => Number(!!a.bytes) - Number(!!b.bytes));
  const draft: Draft = { value: structuredClone(base.value), raw: [] };
  const context: GeneratorContext = { paths: hostilePaths(options.fifo) };
  for (const m of chosen) m.value?.(draft, rng, context);
  const text = JSON.stringify(draft.value, null, rng.next() < 0.8 ? 2 : 0).replace(/"@@RAW(\d+)@@"/g, (_, i: string) => draft.raw[Number(i)]);
  let bytes: Buffer = Buffer.from(text);
  for (const m of chosen) if (m.bytes) bytes = m.bytes(bytes, rng);
  return { id, kind: base.kind, base: base.name, mutation: chosen.map((m) => m.name).join('+'), bytes };
}
