import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { DataError, errorMessage } from '../core/errors';
import { type OfaArch, blockLayer, leadingLayers, lutKey, networkLayers, trailingLayers } from '../spaces/ofa/mbv3Network';
import type { OfaMbv3Space } from '../spaces/ofa/ofaMbv3Space';
import { AdditiveCost } from './additiveCost';
import { CORRECTION_FILE, correctedPrediction, rawPrediction, tableTerms, type LatencyCorrection } from './latencyCorrection';
import { readReferenceFile, readReferenceFolder } from './referenceFile';
import { valueText } from './valueText';

/** One layer's timing in OFA's lookup-table YAML: milliseconds over `count` runs. */
export interface LutEntry {
  readonly mean: number;
  readonly std?: number;
  readonly count?: number;
}

export const LUT_FILE_PATTERN = /^(\d+)_lookup_table\.yaml$/;
/** What a latency table folder holds, for messages. */
const LUT_FOLDER_CONTENT = "<resolution>_lookup_table.yaml files (OFA's latency lookup tables)";

export function lutFileName(resolution: number): string {
  return `${resolution}_lookup_table.yaml`;
}

/**
 * OFA latency lookup tables: a folder of `<resolution>_lookup_table.yaml`, each mapping a layer
 * key (see `lutKey`) to its latency. A network's latency is the sum of its layers' `mean`s.
 */
export class LatencyTable {
  private constructor(
    readonly dir: string,
    private readonly tables: ReadonlyMap<number, { file: string; entries: ReadonlyMap<string, LutEntry> }>,
    /** Learned by `nas-studio lut --validate` from whole networks measured end to end; applied to every prediction. */
    readonly correction?: LatencyCorrection,
  ) {}

  /** Reads the tables for `resolutions` (default: every table file in the folder). */
  static async load(dir: string, resolutions?: readonly number[]): Promise<LatencyTable> {
    const asFile = LUT_FILE_PATTERN.test(basename(dir)) ? `; name the folder that holds it, ${dirname(dir)}` : '';
    const names = await readReferenceFolder(dir, `a latency table folder of ${LUT_FOLDER_CONTENT}`, asFile);
    const available = new Map(names.flatMap((n) => (LUT_FILE_PATTERN.test(n) ? [[Number(LUT_FILE_PATTERN.exec(n)![1]), n] as const] : [])));
    const wanted = resolutions ?? [...available.keys()].sort((a, b) => a - b);
    if (wanted.length === 0) throw new DataError(`no ${LUT_FOLDER_CONTENT} in the latency table folder`, dir);
    const tables = new Map<number, { file: string; entries: ReadonlyMap<string, LutEntry> }>();
    for (const r of wanted) {
      const name = available.get(r);
      if (!name) {
        const have = [...available.keys()].sort((a, b) => a - b);
        throw new DataError(`no latency table for resolution ${r} (${lutFileName(r)}); the folder has ${have.length ? have.join(', ') : 'none'}`, dir);
      }
      const file = join(dir, name);
      tables.set(r, { file, entries: parseLut(await readReferenceFile(file, 'a latency table (YAML)'), file) });
    }
    return new LatencyTable(dir, tables, await readCorrection(join(dir, CORRECTION_FILE)));
  }

  get resolutions(): number[] {
    return [...this.tables.keys()];
  }

  /** Latency of one layer key at one resolution; a missing key is a DataError naming it and its file. */
  query(resolution: number, key: string): number {
    const table = this.tables.get(resolution);
    if (!table) throw new DataError(`no latency table for resolution ${resolution}`, this.dir);
    const entry = table.entries.get(key);
    if (!entry) throw new DataError(`missing latency table entry '${key}'`, table.file);
    return entry.mean;
  }

  /** Every layer's key and latency for one sub-network, in OFA's summation order. */
  terms(arch: OfaArch): [string, number][] {
    return networkLayers(arch).map((layer) => {
      const key = lutKey(layer);
      return [key, this.query(arch.r, key)];
    });
  }

  /** The network's latency: the sum of its layers' entries, corrected when the folder has a correction. */
  latency(arch: OfaArch): number {
    const terms = tableTerms(arch, (r, key) => this.query(r, key));
    return this.correction ? correctedPrediction(this.correction, terms) : rawPrediction(terms);
  }

  /** Compiles the table (corrected, when the folder has a correction) for the space's resolutions; throws on the first missing entry. */
  toAdditive(space: OfaMbv3Space): AdditiveCost {
    const c = this.correction ?? { intercept: 0, fixedScale: 1, blockScale: 1, blockOverhead: 0 };
    const fixed = (r: number) => c.intercept + c.fixedScale * [...leadingLayers(r), ...trailingLayers(r)].reduce((sum, layer) => sum + this.query(r, lutKey(layer)), 0);
    return AdditiveCost.build(space, fixed, (r, i, k, e) => c.blockScale * this.query(r, lutKey(blockLayer(r, i, k, e))) + c.blockOverhead);
  }
}

/** A table folder's correction file, when there is one; a malformed one is a DataError naming it. */
async function readCorrection(file: string): Promise<LatencyCorrection | undefined> {
  if (!existsSync(file)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new DataError(`not a latency correction: ${errorMessage(e)}`, file);
  }
  const fields = ['intercept', 'fixedScale', 'blockScale', 'blockOverhead', 'networks'] as const;
  const v = value as Record<string, unknown>;
  for (const f of fields) {
    if (typeof v?.[f] !== 'number' || !Number.isFinite(v[f])) throw new DataError(`not a latency correction: '${f}' must be a finite number (written by nas-studio lut --validate)`, file);
  }
  return { intercept: v.intercept as number, fixedScale: v.fixedScale as number, blockScale: v.blockScale as number, blockOverhead: v.blockOverhead as number, networks: v.networks as number };
}

export function parseLut(text: string, file: string): Map<string, LutEntry> {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new DataError(`malformed YAML: ${errorMessage(error)}`, file);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new DataError('not a latency table: expected a YAML mapping from layer keys to {mean, std, count}', file);
  }
  const entries = new Map<string, LutEntry>();
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    if (typeof value !== 'object' || value === null || !('mean' in value)) {
      throw new DataError(`not a latency table: entry '${key}' has no 'mean'; a table maps layer keys to {mean, std, count} in milliseconds`, file);
    }
    const { mean, std, count } = value as Record<string, unknown>;
    if (typeof mean !== 'number' || !Number.isFinite(mean) || mean <= 0) {
      throw new DataError(`entry '${key}' needs a positive, finite 'mean' (milliseconds), got ${valueText(mean)}`, file);
    }
    entries.set(key, { mean, ...(typeof std === 'number' ? { std } : {}), ...(typeof count === 'number' ? { count } : {}) });
  }
  return entries;
}

/**
 * Writes one resolution's table the way OFA's files are laid out (keys and fields sorted), with
 * an optional leading comment (YAML readers, OFA's included, skip it).
 */
export async function writeLut(dir: string, resolution: number, entries: ReadonlyMap<string, LutEntry>, note?: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const doc: Record<string, LutEntry> = {};
  for (const key of [...entries.keys()].sort()) {
    const { count, mean, std } = entries.get(key)!;
    doc[key] = { ...(count !== undefined ? { count } : {}), mean, ...(std !== undefined ? { std } : {}) };
  }
  const file = join(dir, lutFileName(resolution));
  await writeFile(file, (note ? `# ${note}\n` : '') + stringify(doc, { lineWidth: 0 }));
  return file;
}
