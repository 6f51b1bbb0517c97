import * as tf from '@tensorflow/tfjs';
import { type BackendChoice } from '../../contract/backends';
import { type BackendInfo, initBackend } from '../runtime/backend';
import { latencyClock, timeForward } from '../runtime/forwardTiming';
import { throwIfAborted } from '../core/errors';
import { type Mbv3Layer, BLOCK_COUNT, EXPAND_RATIOS, KERNEL_SIZES, blockLayer, leadingLayers, lutKey, trailingLayers } from '../spaces/ofa/mbv3Network';
import { layerOp, type MeasuredOp } from './mbv3Ops';
import { type LutEntry, writeLut } from './latencyTable';
import { LATENCY_QUANTILE, robustLatency } from './robustLatency';

export interface MeasureOptions {
  /** Timed runs per layer; the table's `mean` is their low quantile (`robustLatency`). */
  readonly repeats?: number;
  /** Untimed runs first (kernel compilation, caches, allocator). */
  readonly warmup?: number;
  readonly signal?: AbortSignal;
  progress?(done: number, total: number, key: string): void;
}

export const MEASURE_DEFAULTS = { repeats: 20, warmup: 5 };

/**
 * Every distinct layer a sub-network at this resolution can contain: the fixed stem, first block
 * and head, and each elastic block position with each kernel size and expand ratio (positions
 * with the same shape share one key, as in OFA's tables).
 */
export function lutLayers(resolution: number): Mbv3Layer[] {
  const layers = new Map<string, Mbv3Layer>();
  const add = (layer: Mbv3Layer) => layers.set(lutKey(layer), layer);
  leadingLayers(resolution).forEach(add);
  for (let i = 0; i < BLOCK_COUNT; i++) for (const k of KERNEL_SIZES) for (const e of EXPAND_RATIOS) add(blockLayer(resolution, i, k, e));
  trailingLayers(resolution).forEach(add);
  return [...layers.values()];
}

/** A layer to time: its lookup-table key and how to build it as a forward function. */
export interface TimedLayer {
  readonly key: string;
  op(): MeasuredOp;
}

/**
 * Times each layer on the active TensorFlow.js backend, forward only, batch 1, random weights
 * (BN folded into a bias, as deployed): `warmup` untimed runs, then `repeats` timed runs each
 * synchronized by reading the output. Returns OFA lookup-table entries by key: `mean` holds the
 * low quantile of the runs (`robustLatency`: robust to other jobs on the machine), `std` the
 * spread, `count` the runs.
 */
export async function measureTimedLayers(layers: readonly TimedLayer[], options: MeasureOptions = {}): Promise<Map<string, LutEntry>> {
  const repeats = options.repeats ?? MEASURE_DEFAULTS.repeats;
  const warmup = options.warmup ?? MEASURE_DEFAULTS.warmup;
  const entries = new Map<string, LutEntry>();
  // Layers with the same key (e.g. repeated blocks of one network) are measured once.
  const unique = [...new Map(layers.map((layer) => [layer.key, layer])).values()];
  for (const layer of unique) {
    throwIfAborted(options.signal);
    // Let an abort or an IPC message through between layers.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const op = layer.op();
    const x = tf.randomNormal(op.inputShape);
    try {
      const times = timeForward(() => op.apply(x), warmup, repeats);
      entries.set(layer.key, { count: repeats, mean: robustLatency(times), std: standardDeviation(times) });
    } finally {
      op.dispose();
      x.dispose();
    }
    options.progress?.(entries.size, unique.length, layer.key);
  }
  return entries;
}

/** OFA MobileNetV3 layers timed by `measureTimedLayers`, keyed by `lutKey`. */
export function measureLayers(layers: readonly Mbv3Layer[], options: MeasureOptions = {}): Promise<Map<string, LutEntry>> {
  return measureTimedLayers(
    layers.map((layer) => ({ key: lutKey(layer), op: () => layerOp(layer) })),
    options,
  );
}

export interface LatencyTableMeasurement {
  readonly backend: BackendInfo;
  /** Written files, one per resolution. */
  readonly files: readonly string[];
  readonly entries: number;
}

/**
 * Builds a latency lookup table for this machine: times every distinct layer of every resolution
 * on the TensorFlow.js backend (default: `initBackend()`'s choice) and writes
 * `<resolution>_lookup_table.yaml` files in OFA's format into `outDir`.
 */
export async function measureLatencyTables(
  outDir: string,
  resolutions: readonly number[],
  options: MeasureOptions & { readonly backend?: BackendChoice } = {},
): Promise<LatencyTableMeasurement> {
  const backend = await initBackend(options.backend);
  const perResolution = resolutions.map((r) => lutLayers(r));
  const total = perResolution.reduce((n, layers) => n + layers.length, 0);
  const files: string[] = [];
  let done = 0;
  for (let k = 0; k < resolutions.length; k++) {
    const entries = await measureLayers(perResolution[k], { ...options, progress: (n, _, key) => options.progress?.(done + n, total, key) });
    done += entries.size;
    files.push(await writeLut(outDir, resolutions[k], entries, measurementNote(backend, options)));
  }
  return { backend, files, entries: total };
}

/** One comment line for a measured table: where and how it was measured. */
export function measurementNote(backend: Pick<BackendInfo, 'detail'>, options: MeasureOptions): string {
  return `measured by NAS Studio on ${backend.detail}, node ${process.version}, batch 1, ${options.repeats ?? MEASURE_DEFAULTS.repeats} timed runs after ${options.warmup ?? MEASURE_DEFAULTS.warmup} warm-up runs; mean = ${LATENCY_QUANTILE * 100}th percentile of the ${latencyClock() === 'cpu' ? 'process CPU' : 'wall'} times (ms)`;
}

function standardDeviation(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length);
}
