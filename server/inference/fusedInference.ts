import * as tf from '@tensorflow/tfjs';
import { BIAS_ACT, FUSED_DEPTHWISE, FUSED_POINTWISE, PACK_B } from '../runtime/kernels/fusedKernels';

type Config = Record<string, unknown>;

/** One step of the compiled network: reads values by name, writes its own. */
interface Step {
  readonly output: string;
  readonly inputs: readonly string[];
  run(inputs: tf.Tensor[]): tf.Tensor;
}

/** A convolution with its batch norm (if any) folded in: NHWC weights scaled per output channel, and the shift. */
interface FoldedConv {
  readonly filter: tf.Tensor4D;
  readonly bias: tf.Tensor1D;
  readonly strides: [number, number];
  readonly padding: 'same' | 'valid';
  readonly depthwise: boolean;
  readonly relu: boolean;
}

const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [v[0], v[1]] : [v as number, v as number]);

function fusedKernelsAvailable(): boolean {
  return tf.getBackend() === 'wasm' && tf.getKernel(FUSED_POINTWISE, 'wasm') !== undefined;
}

/**
 * A trained TF.js Layers model compiled for inference: every convolution followed by a batch
 * norm has the batch norm folded into its weights (y = x * (W s) + (beta - mean s), s = gamma /
 * sqrt(var + eps)), and runs with its shift, the block's residual and its ReLU in one kernel pass
 * (nasKernels.c on 'wasm'; plain ops elsewhere). 1x1 convolutions use the training GEMM with
 * weights packed once, depthwise convolutions the training depthwise kernel. Other layers run as
 * themselves. Predictions equal the model's up to float rounding.
 */
export class FusedInference {
  private constructor(
    private readonly input: string,
    private readonly output: string,
    private readonly steps: readonly Step[],
    private readonly owned: readonly tf.Tensor[],
  ) {}

  /** Convolution + batch norm pairs folded, out of all layers (for tests and logs). */
  folded = 0;

  static compile(model: tf.LayersModel): FusedInference {
    const layers = model.layers;
    const consumers = (layer: tf.layers.Layer) => layers.filter((l) => l.inboundNodes.some((n) => n.inboundLayers.includes(layer)));
    const only = (layer: tf.layers.Layer, cls: string) => {
      const next = consumers(layer);
      return next.length === 1 && next[0].getClassName() === cls && next[0].inboundNodes.length === 1 ? next[0] : undefined;
    };
    const inputsOf = (layer: tf.layers.Layer) => layer.inboundNodes[0].inboundLayers.map((l) => l.name);
    const skipped = new Map<string, string>();
    const resolve = (name: string) => skipped.get(name) ?? name;
    const steps: Step[] = [];
    const owned: tf.Tensor[] = [];
    const fast = fusedKernelsAvailable();
    let input = model.inputs[0].sourceLayer.name;
    let folded = 0;

    for (const layer of layers) {
      const cls = layer.getClassName();
      const config = layer.getConfig() as Config;
      if (cls === 'InputLayer') {
        input = layer.name;
        continue;
      }
      if (skipped.has(layer.name)) continue;
      const ins = inputsOf(layer).map(resolve);
      const convolution = (cls === 'Conv2D' || cls === 'DepthwiseConv2D') && pair(config.dilationRate ?? 1).every((d) => d === 1) && (config.depthMultiplier ?? 1) === 1;
      if (!convolution || (config.activation !== 'linear' && config.activation !== 'relu')) {
        steps.push({ output: layer.name, inputs: ins, run: (xs) => layer.apply(xs.length === 1 ? xs[0] : xs) as tf.Tensor });
        continue;
      }
      // conv [-> batch norm [-> add (residual)] [-> relu]]
      const [kernel, convBias] = layer.getWeights();
      const depthwise = cls === 'DepthwiseConv2D';
      const channels = kernel.shape[depthwise ? 2 : 3] as number;
      let end = layer;
      let relu = config.activation === 'relu';
      let scale: tf.Tensor1D = tf.ones([channels]);
      let shift: tf.Tensor1D = config.useBias ? (convBias.clone() as tf.Tensor1D) : tf.zeros([channels]);
      const bn = relu ? undefined : only(layer, 'BatchNormalization');
      const bnConfig = bn?.getConfig() as Config | undefined;
      let residual: string | undefined;
      if (bn && bnConfig && (bnConfig.axis === -1 || bnConfig.axis === 3)) {
        const w = bn.getWeights();
        let k = 0;
        const gamma = bnConfig.scale !== false ? w[k++] : tf.ones([channels]);
        const beta = bnConfig.center !== false ? w[k++] : tf.zeros([channels]);
        const [mean, variance] = [w[k], w[k + 1]];
        const s = tf.tidy(() => tf.div(gamma, tf.sqrt(tf.add(variance, bnConfig.epsilon as number))) as tf.Tensor1D);
        const b = tf.tidy(() => tf.add(beta, tf.mul(tf.sub(shift, mean), s)) as tf.Tensor1D);
        tf.dispose([scale, shift]);
        [scale, shift] = [s, b];
        end = bn;
        folded++;
        const add = only(bn, 'Add');
        if (add && inputsOf(add).length === 2) {
          residual = resolve(inputsOf(add).find((n) => n !== bn.name)!);
          end = add;
        }
        const activation = only(end, 'ReLU');
        if (activation && (activation.getConfig() as Config).maxValue == null) {
          relu = true;
          end = activation;
        }
      }
      const filter = tf.tidy(() => (depthwise ? tf.mul(kernel, scale.reshape([1, 1, channels, 1])) : tf.mul(kernel, scale)) as tf.Tensor4D);
      scale.dispose();
      owned.push(filter, shift);
      const conv: FoldedConv = { filter, bias: shift, strides: pair(config.strides), padding: config.padding as 'same' | 'valid', depthwise, relu };
      for (let l: tf.layers.Layer | undefined = layer; l && l !== end; l = consumers(l)[0]) skipped.set(consumers(l)[0].name, end.name);
      steps.push(convStep(conv, end.name, ins[0], residual, fast, owned));
    }
    const compiled = new FusedInference(input, resolve(model.outputs[0].sourceLayer.name), steps, owned);
    compiled.folded = folded;
    return compiled;
  }

  /** Logits (or the model's output) for a batch, like model.predict; the caller disposes it. */
  predict(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const values = new Map<string, tf.Tensor>([[this.input, x]]);
      for (const step of this.steps) values.set(step.output, step.run(step.inputs.map((n) => values.get(n)!)));
      return values.get(this.output)!;
    });
  }

  dispose(): void {
    tf.dispose([...this.owned]);
  }
}

/** The step running one folded convolution: the fused kernels on 'wasm', plain ops elsewhere. */
function convStep(conv: FoldedConv, output: string, input: string, residual: string | undefined, fast: boolean, owned: tf.Tensor[]): Step {
  const inputs = residual ? [input, residual] : [input];
  const [kh, kw] = conv.filter.shape;
  const pointwise = !conv.depthwise && kh === 1 && kw === 1 && conv.strides[0] === 1 && conv.strides[1] === 1;
  /** The kernel's inputs, with the residual when the block has one. */
  const named = (tensors: tf.NamedTensorMap, r: tf.Tensor | undefined): tf.NamedTensorMap => (r ? { ...tensors, residual: r } : tensors);
  if (fast && pointwise) {
    const packed = tf.engine().runKernel(PACK_B, { filter: conv.filter }) as tf.Tensor;
    owned.push(packed);
    return { output, inputs, run: ([x, r]) => tf.engine().runKernel(FUSED_POINTWISE, named({ x, packed, bias: conv.bias }, r), { relu: conv.relu }) as tf.Tensor };
  }
  if (fast && conv.depthwise && !residual) {
    return { output, inputs, run: ([x]) => tf.engine().runKernel(FUSED_DEPTHWISE, { x, filter: conv.filter, bias: conv.bias }, { relu: conv.relu, strides: conv.strides, pad: conv.padding }) as tf.Tensor };
  }
  const convolve = (x: tf.Tensor) =>
    conv.depthwise ? tf.depthwiseConv2d(x as tf.Tensor4D, conv.filter, conv.strides, conv.padding) : tf.conv2d(x as tf.Tensor4D, conv.filter, conv.strides, conv.padding);
  if (fast) return { output, inputs, run: ([x, r]) => tf.engine().runKernel(BIAS_ACT, named({ x: convolve(x), bias: conv.bias }, r), { relu: conv.relu }) as tf.Tensor };
  return {
    output,
    inputs,
    run: ([x, r]) => {
      const y = tf.add(convolve(x), conv.bias);
      const summed = r ? tf.add(y, r) : y;
      return conv.relu ? tf.relu(summed) : summed;
    },
  };
}
