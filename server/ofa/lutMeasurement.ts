import * as tf from '@tensorflow/tfjs';
import { type BackendChoice } from '../../contract/backends';
import { type BackendInfo, initBackend } from '../runtime/backend';
import { throwIfAborted } from '../core/errors';
import { type Mbv3Layer, BLOCK_COUNT, EXPAND_RATIOS, KERNEL_SIZES, blockLayer, leadingLayers, lutKey, trailingLayers } from '../spaces/ofa/mbv3Network';
import { seChannels } from '../spaces/ofa/mbv3Cost';
import { type LutEntry, writeLut } from './latencyTable';

export interface MeasureOptions {
  /** Timed runs per layer; the table's `mean` is their median. */
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
  build(): BuiltLayer;
}

/**
 * Times each layer on the active TensorFlow.js backend, forward only, batch 1, random weights
 * (BN folded into a bias, as deployed): `warmup` untimed runs, then `repeats` timed runs each
 * synchronized by reading the output. Returns OFA lookup-table entries by key: `mean` holds the
 * median (robust to scheduler noise), `std` the spread, `count` the runs.
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
    const built = layer.build();
    try {
      const times: number[] = [];
      for (let run = 0; run < warmup + repeats; run++) {
        const start = performance.now();
        const output = tf.tidy(built.forward);
        output.dataSync();
        const elapsed = performance.now() - start;
        output.dispose();
        if (run >= warmup) times.push(elapsed);
      }
      entries.set(layer.key, { count: repeats, mean: median(times), std: standardDeviation(times) });
    } finally {
      built.dispose();
    }
    options.progress?.(entries.size, unique.length, layer.key);
  }
  return entries;
}

/** OFA MobileNetV3 layers timed by `measureTimedLayers`, keyed by `lutKey`. */
export function measureLayers(layers: readonly Mbv3Layer[], options: MeasureOptions = {}): Promise<Map<string, LutEntry>> {
  return measureTimedLayers(
    layers.map((layer) => ({ key: lutKey(layer), build: () => buildMbv3Layer(layer) })),
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
  return `measured by NAS Studio on ${backend.detail}, node ${process.version}, batch 1, ${options.repeats ?? MEASURE_DEFAULTS.repeats} timed runs after ${options.warmup ?? MEASURE_DEFAULTS.warmup} warm-up runs; mean = median (ms)`;
}

/** A layer as a forward function over fixed inputs and weights, and how to free them. */
export interface BuiltLayer {
  forward(): tf.Tensor;
  dispose(): void;
}

/** Random inputs and weights for a layer to be timed, freed together. */
export class LayerTensors {
  private readonly owned: tf.Tensor[] = [];

  private keep<T extends tf.Tensor>(t: T): T {
    this.owned.push(t);
    return t;
  }

  weights(shape: number[]): tf.Tensor {
    return this.keep(tf.randomNormal(shape, 0, 0.1));
  }

  /** A random input of this shape. */
  input(shape: number[]): tf.Tensor {
    return this.keep(tf.randomNormal(shape));
  }

  image(size: number, channels: number): tf.Tensor4D {
    return this.input([1, size, size, channels]) as tf.Tensor4D;
  }

  /** A 1x1 convolution with bias (a batch norm folded in). */
  pointwise(inputs: number, outputs: number): { kernel: tf.Tensor; bias: tf.Tensor } {
    return { kernel: this.weights([1, 1, inputs, outputs]), bias: this.weights([outputs]) };
  }

  dispose(): void {
    tf.dispose(this.owned);
  }
}

/** The layer as a tfjs forward function over fixed random input and weights (NHWC). */
export function buildMbv3Layer(layer: Mbv3Layer): BuiltLayer {
  const tensors = new LayerTensors();
  const weights = (shape: number[]) => tensors.weights(shape);
  const image = (size: number, channels: number) => tensors.image(size, channels);
  const pointwise = (inputs: number, outputs: number) => tensors.pointwise(inputs, outputs);
  let forward: () => tf.Tensor;
  switch (layer.kind) {
    case 'Conv': {
      const x = image(layer.inSize, layer.inChannels);
      const kernel = weights([3, 3, layer.inChannels, layer.outChannels]);
      const bias = weights([layer.outChannels]);
      forward = () => hardSwish(tf.add(tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, 2, 'same'), bias));
      break;
    }
    case 'expanded_conv': {
      const x = image(layer.inSize, layer.inChannels);
      const act = layer.hswish ? hardSwish : tf.relu;
      const expand = layer.mid === layer.inChannels ? undefined : pointwise(layer.inChannels, layer.mid);
      const depthwise = { kernel: weights([layer.kernel, layer.kernel, layer.mid, 1]), bias: weights([layer.mid]) };
      const se = layer.se ? { reduce: pointwise(layer.mid, seChannels(layer.mid)), expand: pointwise(seChannels(layer.mid), layer.mid) } : undefined;
      const project = pointwise(layer.mid, layer.outChannels);
      forward = () => {
        let h = x as tf.Tensor4D;
        if (expand) h = act(conv1x1(h, expand));
        h = act(tf.add(tf.depthwiseConv2d(h, depthwise.kernel as tf.Tensor4D, layer.stride, 'same'), depthwise.bias));
        if (se) {
          const squeezed = tf.mean(h, [1, 2], true) as tf.Tensor4D;
          h = tf.mul(h, hardSigmoid(conv1x1(tf.relu(conv1x1(squeezed, se.reduce)), se.expand)));
        }
        h = conv1x1(h, project);
        return layer.idSkip ? tf.add(h, x) : h;
      };
      break;
    }
    case 'Conv_1': {
      const x = image(layer.size, layer.inChannels);
      const conv = pointwise(layer.inChannels, layer.outChannels);
      forward = () => hardSwish(conv1x1(x as tf.Tensor4D, conv));
      break;
    }
    case 'AvgPool2D': {
      const x = image(layer.size, layer.channels);
      forward = () => tf.mean(x, [1, 2], true);
      break;
    }
    case 'Conv_2': {
      const x = image(1, layer.inChannels);
      const kernel = weights([1, 1, layer.inChannels, layer.outChannels]);
      forward = () => hardSwish(tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, 1, 'same'));
      break;
    }
    case 'Logits': {
      const x = tensors.input([1, layer.inFeatures]);
      const kernel = weights([layer.inFeatures, layer.outFeatures]);
      const bias = weights([layer.outFeatures]);
      forward = () => tf.add(tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D), bias);
      break;
    }
  }
  return { forward, dispose: () => tensors.dispose() };
}

function conv1x1(x: tf.Tensor4D, weights: { kernel: tf.Tensor; bias: tf.Tensor }): tf.Tensor4D {
  return tf.add(tf.conv2d(x, weights.kernel as tf.Tensor4D, 1, 'same'), weights.bias);
}

/** MobileNetV3's h-swish: x * relu6(x + 3) / 6. */
function hardSwish<T extends tf.Tensor>(x: T): T {
  return tf.mul(x, hardSigmoid(x));
}

function hardSigmoid<T extends tf.Tensor>(x: T): T {
  return tf.div(tf.relu6(tf.add(x, 3)), 6);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function standardDeviation(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length);
}
