import * as tf from '@tensorflow/tfjs';
import type { Normalization } from '../data/batchAssembly';
import type { ElasticBatchNorm } from './elasticLayers';
import { subnetBlocks, type SubnetArch } from './ofaSmallConfig';
import type { OfaSupernet } from './ofaSupernet';

/**
 * Bilinear resampling from `from` to `to` samples with corners aligned, as a matrix [to, from]
 * (the weights tf.image.resizeBilinear(..., alignCorners = true) gives each source sample).
 */
function interpolationMatrix(from: number, to: number): number[][] {
  const scale = to > 1 ? (from - 1) / (to - 1) : 0;
  return Array.from({ length: to }, (_, i) => {
    const row = new Array<number>(from).fill(0);
    const source = i * scale;
    const low = Math.floor(source);
    const high = Math.min(from - 1, Math.ceil(source));
    row[low] += 1 - (source - low);
    row[high] += source - low;
    return row;
  });
}

/**
 * The supernet's input resize (see resizeInput) with standard layers: bilinear resampling is
 * linear and separable, so it is a frozen dense layer along the width, then one along the height,
 * with permutes around them (tf.layers.resizing cannot be used: its output shape drops the batch).
 */
function resizeLayers(x: tf.SymbolicTensor, h: number, w: number, r: number, add: <L extends tf.layers.Layer>(layer: L, weights: () => tf.Tensor[]) => L): tf.SymbolicTensor {
  const along = (input: tf.SymbolicTensor, from: number, axis: string) =>
    add(tf.layers.dense({ units: r, useBias: false, trainable: false, name: `${PREPROCESSING}_${axis}` }), () => [tf.tensor2d(interpolationMatrix(from, r)).transpose()]).apply(input) as tf.SymbolicTensor;
  const permute = (input: tf.SymbolicTensor, dims: number[]) => tf.layers.permute({ dims }).apply(input) as tf.SymbolicTensor;
  // [h, w, c] -> [c, h, w] -> [c, h, r] -> [c, r, h] -> [c, r, r] -> [r, r, c]
  return permute(along(permute(along(permute(x, [3, 1, 2]), w, 'width'), [1, 3, 2]), h, 'height'), [3, 2, 1]);
}

/** Name prefix of the extracted model's frozen input layers (normalization, resize). */
export const PREPROCESSING = 'preprocess';

/** A layer of the extracted model and the weights it gets from the supernet. */
interface Assignment {
  readonly layer: tf.layers.Layer;
  readonly weights: () => tf.Tensor[];
}

/**
 * A standalone tf.LayersModel computing the supernet's sub-network `arch` with the supernet's
 * current weights and running statistics (calibrate them for `arch` first). It takes images as
 * stored (bytes 0..255, the dataset's size) and returns logits: a frozen 1x1 depthwise layer
 * applies the training normalization, frozen layers resize to the sub-network's resolution, then
 * stem, MBConv blocks (functional graph with residual adds), global average pooling and dense.
 * Only standard layers: any TF.js Layers loader reads the exported model.
 */
export function extractSubnet(supernet: OfaSupernet, arch: SubnetArch, normalization: Normalization): tf.LayersModel {
  const { config } = supernet;
  const [h, w, c] = config.input;
  const assignments: Assignment[] = [];
  const add = <L extends tf.layers.Layer>(layer: L, weights: () => tf.Tensor[]): L => {
    assignments.push({ layer, weights });
    return layer;
  };
  const batchNorm = (bn: ElasticBatchNorm, channels: number, x: tf.SymbolicTensor) =>
    add(tf.layers.batchNormalization({ epsilon: bn.epsilon }), () => bn.active(channels)).apply(x) as tf.SymbolicTensor;
  const relu = (x: tf.SymbolicTensor) => tf.layers.reLU().apply(x) as tf.SymbolicTensor;

  const input = tf.input({ shape: [h, w, c] });
  const std = (k: number) => normalization.std[k % normalization.std.length];
  const mean = (k: number) => normalization.mean[k % normalization.mean.length];
  let x = add(tf.layers.depthwiseConv2d({ kernelSize: 1, useBias: true, trainable: false, name: `${PREPROCESSING}_normalize` }), () => [
    tf.tensor4d(Array.from({ length: c }, (_, k) => 1 / (255 * std(k))), [1, 1, c, 1]),
    tf.tensor1d(Array.from({ length: c }, (_, k) => -mean(k) / std(k))),
  ]).apply(input) as tf.SymbolicTensor;
  if (arch.r !== h || arch.r !== w) x = resizeLayers(x, h, w, arch.r, add);

  const stemConv = supernet.stem.conv;
  x = add(tf.layers.conv2d({ filters: config.stem, kernelSize: 3, strides: config.stemStride, padding: 'same', useBias: false }), () => [stemConv.filter]).apply(x) as tf.SymbolicTensor;
  x = relu(batchNorm(supernet.stem.bn, config.stem, x));

  for (const b of subnetBlocks(config, arch)) {
    const block = supernet.blocks[b.stage][b.slot % supernet.blocks[b.stage].length];
    const blockInput = x;
    if (block.expand) {
      const expand = block.expand;
      x = add(tf.layers.conv2d({ filters: b.mid, kernelSize: 1, padding: 'same', useBias: false }), () => [expand.conv.activeFilter(b.inChannels, b.mid)]).apply(x) as tf.SymbolicTensor;
      x = relu(batchNorm(expand.bn, b.mid, x));
    }
    x = add(tf.layers.depthwiseConv2d({ kernelSize: b.kernel, strides: b.stride, padding: 'same', useBias: false }), () => [block.depthwise.conv.activeFilter(b.mid, b.kernel)]).apply(x) as tf.SymbolicTensor;
    x = relu(batchNorm(block.depthwise.bn, b.mid, x));
    x = add(tf.layers.conv2d({ filters: b.outChannels, kernelSize: 1, padding: 'same', useBias: false }), () => [block.project.conv.activeFilter(b.mid, b.outChannels)]).apply(x) as tf.SymbolicTensor;
    x = batchNorm(block.project.bn, b.outChannels, x);
    if (b.residual) x = tf.layers.add().apply([x, blockInput]) as tf.SymbolicTensor;
  }
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const classifier = supernet.classifier;
  x = add(tf.layers.dense({ units: config.classes }), () => [classifier.kernel, classifier.bias]).apply(x) as tf.SymbolicTensor;

  const model = tf.model({ inputs: input, outputs: x });
  tf.tidy(() => {
    for (const { layer, weights } of assignments) layer.setWeights(weights());
  });
  return model;
}
