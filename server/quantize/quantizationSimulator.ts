/**
 * Simulated quantization of a TF.js Layers model (TF.js has no low-bit kernels): every
 * quantizable layer computes with its kernel snapped to the policy's levels or codebook, and
 * (linear quantization) with its input activations snapped to their grid before the layer's own
 * computation. Activation grids come from the float model's activations on calibration images
 * (the reference's `calibrate`). Everything runs in float32; only the values are quantized.
 */
import * as tf from '@tensorflow/tfjs';
import type { ClipMethod } from './clipThreshold';
import { dequantize, quantizeKernel, type LayerQuantization } from './layerQuantization';
import { activationGrid, type LinearGrid } from './linearQuantizer';
import type { ModelLayer } from './modelLayers';
import type { Policy } from './quantizableLayers';
import { FLOAT_BITS } from './quantizableLayers';

export interface SimulationOptions {
  readonly quantizer: 'linear' | 'kmeans';
  readonly clip: ClipMethod;
  /** Seeds the k-means codebooks (one stream per layer and bit width). */
  readonly seed: number;
}

/** Snaps x to the grid, with the gradient of the clipping (straight through the rounding) for fine-tuning. */
function fakeQuantize(x: tf.Tensor, grid: LinearGrid): tf.Tensor {
  const high = grid.maxLevel * grid.step;
  const low = grid.signed ? -high : 0;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([input]);
    const value = tf.mul(tf.round(tf.div(tf.clipByValue(input, low, high), grid.step)), grid.step);
    return { value, gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => [tf.mul(dy, tf.logicalAnd(tf.greaterEqual(saved, low), tf.lessEqual(saved, high)).toFloat())] };
  });
  return op(x) as tf.Tensor;
}

function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

type LayerCall = (inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];

export class QuantizationSimulator {
  /** Every weight of the model as loaded (biases and batch-norm statistics too: fine-tuning moves them). */
  private readonly original: tf.Tensor[];
  private readonly kernels: Float32Array[];
  private readonly cache = new Map<string, LayerQuantization>();
  /** Input activation samples of each layer, from the float model (linear quantization). */
  private samples: (Float32Array | undefined)[];
  /** Batches of inputs recorded while calibrating. */
  private captured: Float32Array[][] | undefined;
  private readonly gridCache = new Map<string, LinearGrid>();
  private grids: (LinearGrid | undefined)[];
  /** The layers' quantization under the applied policy (fine-tuning updates it). */
  current: LayerQuantization[] = [];

  private constructor(
    readonly model: tf.LayersModel,
    readonly layers: readonly ModelLayer[],
    readonly options: SimulationOptions,
  ) {
    this.original = model.getWeights().map((w) => w.clone());
    this.kernels = layers.map((l) => l.layer.getWeights()[0].dataSync() as Float32Array);
    this.samples = layers.map(() => undefined);
    this.grids = layers.map(() => undefined);
    layers.forEach((entry, i) => {
      const layer = entry.layer as unknown as { call: LayerCall };
      const call = layer.call.bind(entry.layer) as LayerCall;
      layer.call = (inputs, kwargs) => {
        const x = Array.isArray(inputs) ? inputs[0] : inputs;
        if (this.captured && i > 0) this.captured[i].push(Float32Array.from(x.dataSync()));
        const grid = this.grids[i];
        return call(grid && grid.step > 0 ? fakeQuantize(x, grid) : x, kwargs);
      };
    });
  }

  /**
   * The simulation of a quantized model whose kernels already hold their quantized values (an
   * exported model): only its input activations are snapped, to the grids the run recorded.
   */
  static withGrids(model: tf.LayersModel, layers: readonly ModelLayer[], grids: readonly (LinearGrid | undefined)[]): QuantizationSimulator {
    // The options only steer quantizing kernels, which this simulator never does.
    const simulator = new QuantizationSimulator(model, layers, { quantizer: 'linear', clip: 'kl', seed: 0 });
    simulator.grids = [...grids];
    return simulator;
  }

  /** A simulator of `model`; linear quantization first records each layer's input on the calibration images. */
  static create(model: tf.LayersModel, layers: readonly ModelLayer[], options: SimulationOptions, calibration: tf.Tensor4D): QuantizationSimulator {
    const simulator = new QuantizationSimulator(model, layers, options);
    if (options.quantizer === 'linear') {
      simulator.captured = layers.map(() => []);
      try {
        tf.tidy(() => model.predict(calibration));
        simulator.samples = simulator.captured.map((batches) => (batches.length > 0 ? concat(batches) : undefined));
      } finally {
        simulator.captured = undefined;
      }
    }
    return simulator;
  }

  /** A layer's kernel at `bits` bits (computed once per layer and width). */
  private kernelAt(layer: number, bits: number): LayerQuantization {
    const key = `${layer}/${bits}`;
    let q = this.cache.get(key);
    if (!q) {
      q = quantizeKernel(this.kernels[layer], bits, this.options.quantizer, this.options.clip, `${this.options.seed}/kmeans/${layer}/${bits}`);
      this.cache.set(key, q);
    }
    return q;
  }

  private activationGridAt(layer: number, bits: number): LinearGrid | undefined {
    const samples = this.samples[layer];
    if (!samples || bits >= FLOAT_BITS) return undefined;
    const key = `${layer}/${bits}`;
    let grid = this.gridCache.get(key);
    if (!grid) {
      grid = activationGrid(samples, bits, this.options.clip);
      this.gridCache.set(key, grid);
    }
    return grid;
  }

  /** Sets one layer's kernel to what a quantization stands for (biases and the rest unchanged). */
  setKernel(layer: number, q: LayerQuantization): void {
    const entry = this.layers[layer].layer;
    const [kernel, ...rest] = entry.getWeights();
    tf.tidy(() => entry.setWeights([tf.tensor(dequantize(q), kernel.shape), ...rest]));
    this.current[layer] = q;
  }

  /** The model as loaded, with the policy's quantization: every weight restored first, then the kernels and activation grids set. */
  apply(policy: Policy): void {
    this.model.setWeights(this.original);
    this.current = [];
    policy.forEach((bits, i) => this.setKernel(i, this.kernelAt(i, bits.weight)));
    this.grids = policy.map((bits, i) => (i === 0 ? undefined : this.activationGridAt(i, bits.activation)));
  }

  /** The grid layer `layer`'s input activations are snapped to under the applied policy (none: float). */
  inputGrid(layer: number): LinearGrid | undefined {
    return this.grids[layer];
  }

  /** Back to the float model. */
  reset(): void {
    this.model.setWeights(this.original);
    this.current = [];
    this.grids = this.layers.map(() => undefined);
  }

  /** A layer's kernel as the model holds it now (after fine-tuning steps). */
  kernelNow(layer: number): Float32Array {
    return this.layers[layer].layer.getWeights()[0].dataSync() as Float32Array;
  }

  /** The float kernel of a layer as loaded. */
  floatKernel(layer: number): Float32Array {
    return this.kernels[layer];
  }

  dispose(): void {
    tf.dispose(this.original);
  }
}
