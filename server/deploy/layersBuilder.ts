import * as tf from '@tensorflow/tfjs';

/** Weights of a batch norm in tf.layers' order: gamma, beta, moving mean, moving variance. */
export type BatchNormWeights = () => tf.Tensor[];

/** One convolution + batch norm (+ ReLU) of a network whose weights exist elsewhere. */
export interface ConvBnSpec {
  readonly filters: number;
  readonly kernel: number;
  readonly stride: number;
  readonly depthwise?: boolean;
  readonly filter: () => tf.Tensor;
  readonly bn: BatchNormWeights;
  readonly epsilon: number;
  readonly relu: boolean;
}

/** An inverted residual block (MBConv): optional 1x1 expansion, depthwise, 1x1 projection. */
export interface MbConvSpec {
  readonly expand?: ConvBnSpec;
  readonly depthwise: ConvBnSpec;
  readonly project: ConvBnSpec;
  readonly residual: boolean;
}

/**
 * Builds a standalone tf.LayersModel (standard layers only) from weights held by another model
 * (a supernet, a MobileNet being trained): layers are created with names after the architecture
 * (`stage1_block2_expand_conv`), which exports carry, and receive their weights when the model
 * is built.
 */
export class LayersBuilder {
  private readonly assignments: { layer: tf.layers.Layer; weights: () => tf.Tensor[] }[] = [];

  /** Registers a layer whose weights `weights()` gives at build time. */
  add<L extends tf.layers.Layer>(layer: L, weights: () => tf.Tensor[]): L {
    this.assignments.push({ layer, weights });
    return layer;
  }

  convBn(x: tf.SymbolicTensor, name: string, spec: ConvBnSpec): tf.SymbolicTensor {
    const common = { kernelSize: spec.kernel, strides: spec.stride, padding: 'same' as const, useBias: false, name: `${name}_conv` };
    const conv = spec.depthwise ? tf.layers.depthwiseConv2d(common) : tf.layers.conv2d({ ...common, filters: spec.filters });
    let h = this.add(conv, () => [spec.filter()]).apply(x) as tf.SymbolicTensor;
    h = this.add(tf.layers.batchNormalization({ epsilon: spec.epsilon, name: `${name}_bn` }), spec.bn).apply(h) as tf.SymbolicTensor;
    return spec.relu ? (tf.layers.reLU({ name: `${name}_relu` }).apply(h) as tf.SymbolicTensor) : h;
  }

  mbConv(x: tf.SymbolicTensor, name: string, block: MbConvSpec): tf.SymbolicTensor {
    let h = block.expand ? this.convBn(x, `${name}_expand`, block.expand) : x;
    h = this.convBn(h, `${name}_depthwise`, block.depthwise);
    h = this.convBn(h, `${name}_project`, block.project);
    return block.residual ? (tf.layers.add({ name: `${name}_add` }).apply([h, x]) as tf.SymbolicTensor) : h;
  }

  /** Global average pooling and the dense classifier. */
  head(x: tf.SymbolicTensor, classes: number, weights: () => tf.Tensor[]): tf.SymbolicTensor {
    const pooled = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as tf.SymbolicTensor;
    return this.add(tf.layers.dense({ units: classes, name: 'classifier' }), weights).apply(pooled) as tf.SymbolicTensor;
  }

  /** The model from `input` to `output`, with every registered layer's weights set. */
  build(input: tf.SymbolicTensor, output: tf.SymbolicTensor): tf.LayersModel {
    const model = tf.model({ inputs: input, outputs: output });
    tf.tidy(() => {
      for (const { layer, weights } of this.assignments) layer.setWeights(weights());
    });
    return model;
  }
}
