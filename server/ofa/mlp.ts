/**
 * A fully connected network with ReLU between layers and a linear output, the shape of OFA's
 * accuracy predictor (`nn.Sequential(Linear, ReLU, ..., Linear)`), in plain TypeScript.
 *
 * Weights are stored input-major (`weight[i * outputs + o]`), so a forward pass is a sum of
 * weight rows scaled by the inputs: one-hot and ReLU-zero inputs cost nothing, which makes
 * OFA's sparse 128-d architecture encodings cheap to evaluate.
 */
export interface DenseLayer {
  readonly inputs: number;
  readonly outputs: number;
  /** `inputs x outputs`, row i holds the weights leaving input i. */
  readonly weight: Float64Array;
  readonly bias: Float64Array;
}

/** Activations of one forward pass: the input, then every layer's output after its activation. */
export type ForwardTrace = Float64Array[];

export class Mlp {
  readonly layers: readonly DenseLayer[];
  /** Per-layer activation buffers reused by forward passes that keep no trace. */
  private readonly scratch: Float64Array[];

  constructor(layers: readonly DenseLayer[]) {
    if (layers.length === 0) throw new RangeError('an MLP needs at least one layer');
    for (let l = 1; l < layers.length; l++) {
      if (layers[l].inputs !== layers[l - 1].outputs) throw new RangeError(`layer ${l} takes ${layers[l].inputs} inputs, layer ${l - 1} gives ${layers[l - 1].outputs}`);
    }
    this.layers = layers;
    this.scratch = layers.map((l) => new Float64Array(l.outputs));
  }

  /** Freshly initialized network (PyTorch's default uniform(-1/sqrt(fan_in), 1/sqrt(fan_in))). */
  static random(sizes: readonly number[], uniform: () => number): Mlp {
    const layers: DenseLayer[] = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const inputs = sizes[l];
      const outputs = sizes[l + 1];
      const bound = 1 / Math.sqrt(inputs);
      const weight = new Float64Array(inputs * outputs).map(() => (2 * uniform() - 1) * bound);
      const bias = new Float64Array(outputs).map(() => (2 * uniform() - 1) * bound);
      layers.push({ inputs, outputs, weight, bias });
    }
    return new Mlp(layers);
  }

  get inputSize(): number {
    return this.layers[0].inputs;
  }

  get outputSize(): number {
    return this.layers[this.layers.length - 1].outputs;
  }

  /** Sizes from input to output, e.g. [128, 400, 400, 400, 1]. */
  get sizes(): number[] {
    return [this.inputSize, ...this.layers.map((l) => l.outputs)];
  }

  /** First output for one input vector. `trace`, when given, receives every layer's activations. */
  predictOne(input: ArrayLike<number>, trace?: ForwardTrace): number {
    let current: ArrayLike<number> = input;
    if (trace) trace[0] = Float64Array.from(input);
    for (let l = 0; l < this.layers.length; l++) {
      const { inputs, outputs, weight, bias } = this.layers[l];
      const next = trace ? new Float64Array(outputs) : this.scratch[l];
      next.set(bias);
      for (let i = 0; i < inputs; i++) {
        const a = current[i];
        if (a === 0) continue;
        const row = i * outputs;
        for (let o = 0; o < outputs; o++) next[o] += a * weight[row + o];
      }
      if (l + 1 < this.layers.length) {
        for (let o = 0; o < outputs; o++) if (next[o] < 0) next[o] = 0;
      }
      if (trace) trace[l + 1] = next;
      current = next;
    }
    return current[0];
  }

  /** First output for `count` input vectors stored back to back. */
  predictBatch(inputs: Float32Array | Float64Array, count: number, out = new Float64Array(count)): Float64Array {
    const n = this.inputSize;
    if (inputs.length < count * n) throw new RangeError(`need ${count * n} input values, got ${inputs.length}`);
    for (let s = 0; s < count; s++) out[s] = this.predictOne(inputs.subarray(s * n, (s + 1) * n));
    return out;
  }

  /**
   * Back-propagates d(output[0]) = `outputGrad` through a trace from `predictOne`. Adds weight and
   * bias gradients into `gradients` when given; returns the gradient with respect to the input.
   */
  backward(trace: ForwardTrace, outputGrad: number, gradients?: readonly DenseLayer[]): Float64Array {
    let delta = new Float64Array(this.outputSize);
    delta[0] = outputGrad;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const { inputs, outputs, weight } = this.layers[l];
      const below = trace[l];
      if (gradients) {
        const g = gradients[l];
        for (let o = 0; o < outputs; o++) g.bias[o] += delta[o];
        for (let i = 0; i < inputs; i++) {
          const a = below[i];
          if (a === 0) continue;
          const row = i * outputs;
          for (let o = 0; o < outputs; o++) g.weight[row + o] += a * delta[o];
        }
      }
      const previous = new Float64Array(inputs);
      for (let i = 0; i < inputs; i++) {
        // ReLU passes gradient only where its output was positive (the input layer has no ReLU).
        if (l > 0 && below[i] <= 0) continue;
        const row = i * outputs;
        let sum = 0;
        for (let o = 0; o < outputs; o++) sum += weight[row + o] * delta[o];
        previous[i] = sum;
      }
      delta = previous;
    }
    return delta;
  }

  /** Zero-filled layers of the same shapes (gradient and optimizer-moment buffers). */
  zerosLike(): DenseLayer[] {
    return this.layers.map((l) => ({ inputs: l.inputs, outputs: l.outputs, weight: new Float64Array(l.weight.length), bias: new Float64Array(l.bias.length) }));
  }
}
