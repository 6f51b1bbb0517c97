import * as tf from '@tensorflow/tfjs';
import { archBlocks, type ProxylessArch } from './proxylessArch';

/** Batch norm as the reference sets it (`bn_param=(0.1, 1e-3)`: PyTorch momentum 0.1 is Keras momentum 0.9). */
const BATCH_NORM = { momentum: 0.9, epsilon: 1e-3 };

/**
 * A derived ProxylessNAS network as a standalone TF.js Layers model, freshly initialized (He
 * normal from `seed`) for training from scratch: 3x3 stem conv + batch norm + ReLU, each block's
 * MBConv (1x1 expansion unless the ratio is 1, depthwise kxk with the block's stride, 1x1
 * projection, batch norm after each, ReLU after the first two) plus its identity shortcut, skipped
 * blocks left out, global average pooling and a dense softmax classifier. Only standard layers, so
 * any TF.js Layers loader reads the saved model.
 */
export function buildDerivedModel(arch: ProxylessArch, seed: number): tf.LayersModel {
  let layerSeed = seed;
  const init = () => tf.initializers.heNormal({ seed: layerSeed++ });
  const conv = (x: tf.SymbolicTensor, filters: number, kernelSize: number, strides: number) =>
    tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false, kernelInitializer: init() }).apply(x) as tf.SymbolicTensor;
  const batchNorm = (x: tf.SymbolicTensor) => tf.layers.batchNormalization(BATCH_NORM).apply(x) as tf.SymbolicTensor;
  const relu = (x: tf.SymbolicTensor) => tf.layers.reLU().apply(x) as tf.SymbolicTensor;

  const input = tf.input({ shape: [...arch.input] });
  let x = relu(batchNorm(conv(input, arch.stem, 3, arch.stemStride)));
  for (const block of archBlocks(arch)) {
    if (block.op.kind === 'zero') continue;
    const mid = block.inChannels * block.op.expand;
    let h = x;
    if (block.op.expand !== 1) h = relu(batchNorm(conv(h, mid, 1, 1)));
    h = tf.layers.depthwiseConv2d({ kernelSize: block.op.kernel, strides: block.stride, padding: 'same', useBias: false, depthwiseInitializer: init() }).apply(h) as tf.SymbolicTensor;
    h = batchNorm(conv(relu(batchNorm(h)), block.outChannels, 1, 1));
    x = block.shortcut ? (tf.layers.add().apply([h, x]) as tf.SymbolicTensor) : h;
  }
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const output = tf.layers.dense({ units: arch.classes, activation: 'softmax', kernelInitializer: init() }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}
