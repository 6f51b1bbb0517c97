/**
 * Latency lookup tables for HAQ's hardware budget: one entry per quantizable layer per
 * (weight bits, activation bits), measured on the target hardware (the reference loads such
 * tables from lib/simulator/lookup_tables/). TF.js has no low-bit kernels, so NAS Studio cannot
 * measure them itself: a latency budget needs a table measured where the model will run.
 *
 * File format (JSON):
 *   {"unit": "ms", "layers": [{"name": "<layer name>", "ms": [[w1a1, ..., w1a8], ..., [w8a1, ..., w8a8]]}, ...]}
 * `layers` lists every quantizable layer in network order (names as in model.json); row w-1,
 * column a-1 is the layer's latency with w-bit weights and a-bit input activations. The first
 * layer's input is the 8-bit image: its column 8 is the one used.
 */
import { readFileSync } from 'node:fs';
import { DataError, MissingFileError, errorMessage } from '../core/errors';
import type { QuantizableLayer } from './quantizableLayers';

/** Bits a table covers, for weights and for activations. */
export const TABLE_BITS = 8;

export interface LatencyTable {
  readonly file: string;
  /** ms[layer][w - 1][a - 1]. */
  readonly ms: readonly (readonly (readonly number[])[])[];
}

/** Reads a table and checks it has one complete, finite, non-negative entry per layer, by name. */
export function readLatencyTable(file: string, layers: readonly QuantizableLayer[]): LatencyTable {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new MissingFileError('latency lookup table not found', file);
    throw new DataError(`cannot read the latency lookup table: ${errorMessage(e)}`, file);
  }
  const entries = (value as { layers?: unknown } | null)?.layers;
  if (!Array.isArray(entries)) throw new DataError('a latency lookup table needs a "layers" array (see docs/quantization.md)', file);
  if (entries.length !== layers.length) {
    throw new DataError(`the table has ${entries.length} layers, the model ${layers.length} quantizable layers (${layers.map((l) => l.name).join(', ')})`, file);
  }
  const ms = entries.map((entry: { name?: unknown; ms?: unknown }, i) => {
    const layer = layers[i];
    if (entry?.name !== layer.name) throw new DataError(`layers[${i}] is "${String(entry?.name)}", the model's layer ${i} is "${layer.name}"`, file);
    const rows = entry.ms;
    const complete =
      Array.isArray(rows) &&
      rows.length === TABLE_BITS &&
      rows.every((row) => Array.isArray(row) && row.length === TABLE_BITS && row.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0));
    if (!complete) throw new DataError(`layers[${i}] (${layer.name}): "ms" must be ${TABLE_BITS} rows (weight bits 1..${TABLE_BITS}) of ${TABLE_BITS} non-negative numbers (activation bits)`, file);
    return rows as number[][];
  });
  return { file, ms };
}
