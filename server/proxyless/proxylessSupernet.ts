import * as tf from '@tensorflow/tfjs';
import { BatchNorm, Conv2d, Dense } from '../training/layers';
import { MBConv } from '../training/mbConv';
import type { ForwardContext } from '../training/model';
import { ParamFactory } from '../training/params';
import type { BlockSample } from './archParameters';
import { finalChannels, mixedBlocks, type MixedBlock, type ProxylessConfig } from './proxylessSpace';

/** What an architecture step measures on a batch: the loss and every involved gate's gradient. */
export interface GateGradients {
  /** Mean cross-entropy over the batch. */
  readonly crossEntropy: number;
  readonly correct: number;
  /**
   * Per block, ∂CE/∂g for each candidate the sample involves (the reference's `AP_path_wb.grad`),
   * by candidate index; `undefined` for blocks whose active candidate is `Zero` (no gradient).
   */
  readonly gates: readonly (readonly number[] | undefined)[];
}

/**
 * The over-parameterized network of ProxylessNAS: every block holds all its candidates, each an
 * MBConv with weights of its own (`Zero` has none). A forward pass builds only the candidates it
 * is told to: one per block for weight steps, and for architecture steps the active one, whose
 * output the block passes on (gate 1), while the gates of the others are measured without
 * building them into the graph (their outputs are detached, as in the reference).
 * Variables are created in a fixed order from one seed, so data-parallel replicas are identical.
 */
export class ProxylessSupernet {
  readonly blocks: readonly MixedBlock[];
  readonly stem: { readonly conv: Conv2d; readonly bn: BatchNorm };
  /** Per block, per candidate: its MBConv, or undefined for `Zero`. */
  readonly ops: readonly (readonly (MBConv | undefined)[])[];
  readonly classifier: Dense;
  readonly trainableVariables: readonly tf.Variable[];
  readonly stateVariables: readonly tf.Variable[];
  private readonly shared: readonly tf.Variable[];
  private readonly opVariables: readonly (readonly (readonly tf.Variable[])[])[];

  constructor(
    readonly config: ProxylessConfig,
    seed: number,
  ) {
    const params = new ParamFactory(seed);
    // Which trainable variables each part created: a weight step updates only the parts it used.
    const created = (make: () => void) => {
      const before = params.trainable.length;
      make();
      return params.trainable.slice(before);
    };
    let stem!: { conv: Conv2d; bn: BatchNorm };
    const stemVariables = created(() => (stem = { conv: new Conv2d(params, config.input[2], config.stem, 3, config.stemStride), bn: new BatchNorm(params, config.stem) }));
    this.stem = stem;
    this.blocks = mixedBlocks(config);
    const opVariables: tf.Variable[][][] = [];
    this.ops = this.blocks.map((block) => {
      const variables: tf.Variable[][] = [];
      const ops = block.candidates.map((op) => {
        if (op.kind === 'zero') {
          variables.push([]);
          return undefined;
        }
        let conv!: MBConv;
        variables.push(
          created(() => (conv = new MBConv(params, { inChannels: block.inChannels, outChannels: block.outChannels, kernelSize: op.kernel, stride: block.stride, expandRatio: op.expand }))),
        );
        return conv;
      });
      opVariables.push(variables);
      return ops;
    });
    let classifier!: Dense;
    const classifierVariables = created(() => (classifier = new Dense(params, finalChannels(config), config.classes)));
    this.classifier = classifier;
    this.shared = [...stemVariables, ...classifierVariables];
    this.opVariables = opVariables;
    this.trainableVariables = params.trainable;
    this.stateVariables = params.state;
  }

  /** The trainable variables a network with these choices uses, in `trainableVariables` order. */
  pathVariables(choices: readonly number[]): tf.Variable[] {
    const used = new Set([...this.shared, ...choices.flatMap((c, b) => this.opVariables[b][c])]);
    return this.trainableVariables.filter((v) => used.has(v));
  }

  private stemApply(x: tf.Tensor4D, context: ForwardContext): tf.Tensor4D {
    return this.stem.bn.apply(this.stem.conv.apply(x), context, true);
  }

  private head(h: tf.Tensor4D): tf.Tensor2D {
    return this.classifier.apply(tf.mean(h, [1, 2]) as tf.Tensor2D);
  }

  /** One block with candidate `c`: a skipped block passes its input on; otherwise the MBConv plus the shortcut. */
  private blockApply(b: number, c: number, h: tf.Tensor4D, context: ForwardContext): tf.Tensor4D {
    const op = this.ops[b][c];
    if (!op) return h;
    const y = op.transform(h, context);
    return this.blocks[b].shortcut ? tf.add(y, h) : y;
  }

  /** Logits of the network taking candidate `choices[b]` in every block (weight steps, validation). */
  apply(x: tf.Tensor4D, choices: readonly number[], context: ForwardContext): tf.Tensor2D {
    let h = this.stemApply(x, context);
    for (let b = 0; b < this.blocks.length; b++) h = this.blockApply(b, choices[b], h, context);
    return this.head(h);
  }

  /**
   * Logits of the all-path mixture (DARTS-style, what binarization avoids): every candidate of
   * every block runs and the block passes on Σ_k p_k · o_k(x) (+ x), p_k = `weights[b][k]`.
   * Only the memory benchmark uses it, as the baseline of a step's peak memory.
   */
  applyMixture(x: tf.Tensor4D, weights: readonly tf.Tensor1D[], context: ForwardContext): tf.Tensor2D {
    let h = this.stemApply(x, context);
    for (let b = 0; b < this.blocks.length; b++) {
      const input = h;
      const mixed = this.ops[b].map((op, k) => tf.mul(op ? op.transform(input, context) : tf.zerosLike(input), weights[b].slice(k, 1)));
      const y = tf.addN(mixed) as tf.Tensor4D;
      h = this.blocks[b].shortcut ? tf.add(y, input) : y;
    }
    return this.head(h);
  }

  /**
   * Cross-entropy of the active candidates and the gradient of every involved gate: for block b
   * with output y_b = Σ_k g_k · o_k(x_b) (+ x_b), ∂CE/∂g_k = Σ ∂CE/∂y_b · o_k(x_b). One backward
   * pass through the active network gives ∂CE/∂y_b for every block (through a zero tensor added to
   * each block's output); the inactive candidates then run forward only on their block's input.
   * A block whose active candidate is `Zero` passes its input on and gets no gradient, as in the
   * reference (its MixedEdge does not run).
   */
  gateGradients(x: tf.Tensor4D, labels: tf.Tensor1D, samples: readonly BlockSample[], context: ForwardContext): GateGradients {
    const gated = samples.map((s, b) => this.ops[b][s.active] !== undefined);
    const inputs: tf.Tensor4D[] = [];
    const outputs: tf.Tensor4D[] = [];
    try {
      return tf.tidy(() => {
        let correct = 0;
        const probes = this.blocks.flatMap((block, b) => (gated[b] ? [tf.zeros([x.shape[0], Math.ceil(block.inputSize / block.stride), Math.ceil(block.inputSize / block.stride), block.outChannels]) as tf.Tensor4D] : []));
        const { value, grads } = tf.valueAndGrads((...z: tf.Tensor[]) => {
          let h = this.stemApply(x, context);
          let k = 0;
          for (let b = 0; b < this.blocks.length; b++) {
            if (!gated[b]) continue;
            const o = this.ops[b][samples[b].active]!.transform(h, context);
            inputs[b] = tf.keep(h);
            outputs[b] = tf.keep(o);
            h = tf.add(this.blocks[b].shortcut ? tf.add(o, h) : o, z[k++]) as tf.Tensor4D;
          }
          const logits = this.head(h);
          correct = tf.sum(tf.equal(tf.argMax(logits, 1), labels)).dataSync()[0];
          return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, this.config.classes), logits) as tf.Scalar;
        })(probes);
        let k = 0;
        const gates = samples.map((sample, b) => {
          if (!gated[b]) return undefined;
          const dy = grads[k++];
          const gate = (o: tf.Tensor) => tf.sum(tf.mul(dy, o)).dataSync()[0];
          const g = this.blocks[b].candidates.map(() => 0);
          g[sample.active] = gate(outputs[b]);
          for (const c of sample.inactive) {
            const op = this.ops[b][c];
            // Zero's output is 0, and so is its gate's gradient.
            if (op) g[c] = tf.tidy(() => gate(op.transform(inputs[b], context)));
          }
          return g;
        });
        return { crossEntropy: value.dataSync()[0], correct, gates };
      });
    } finally {
      tf.dispose([...inputs, ...outputs]);
    }
  }

  /** Trainable then state variables, in creation order. */
  get variables(): tf.Variable[] {
    return [...this.trainableVariables, ...this.stateVariables];
  }

  /** Sets every variable from values in `variables` order (a checkpoint's weights). */
  setWeights(values: readonly Float32Array[]): void {
    const variables = this.variables;
    if (values.length !== variables.length) throw new Error(`${values.length} tensors for a supernet of ${variables.length} variables`);
    tf.tidy(() => variables.forEach((v, i) => v.assign(tf.tensor(values[i], v.shape))));
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
