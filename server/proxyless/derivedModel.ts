import * as tf from '@tensorflow/tfjs';
import type { BatchNorm, BatchNormConfig } from '../training/layers';
import type { MobileNet, MobileNetConfig } from '../training/mobileNet';
import { archBlocks, type ProxylessArch } from './proxylessArch';

/** Batch norm as the reference sets it (`bn_param=(0.1, 1e-3)`), in PyTorch's convention. */
const REFERENCE_BATCH_NORM: BatchNormConfig = { momentum: 0.1, epsilon: 1e-3 };
/** The same in Keras' convention (the weight of the running statistics: PyTorch momentum 0.1 is Keras momentum 0.9). */
const BATCH_NORM = { momentum: 1 - REFERENCE_BATCH_NORM.momentum, epsilon: REFERENCE_BATCH_NORM.epsilon };

/** How the network's convolutions are built: followed by a batch norm (training), or with a bias it was folded into (deployment). */
type Form = { readonly folded: false; readonly seed: number } | { readonly folded: true };

/**
 * The layers of a derived ProxylessNAS network, named so that the training and the deployed form
 * match layer for layer: 3x3 stem conv + batch norm + ReLU, each block's MBConv (1x1 expansion
 * unless the ratio is 1, depthwise kxk with the block's stride, 1x1 projection, a batch norm after
 * each, ReLU after the first two) plus its identity shortcut, skipped blocks left out, global
 * average pooling and a dense softmax classifier. Only standard layers, so any TF.js Layers loader
 * reads the saved model.
 */
function buildNetwork(arch: ProxylessArch, form: Form): tf.LayersModel {
  let layerSeed = form.folded ? 0 : form.seed;
  const init = () => (form.folded ? 'zeros' : tf.initializers.heNormal({ seed: layerSeed++ }));
  /** A convolution and its batch norm (or the bias it was folded into). */
  const normalized = (x: tf.SymbolicTensor, name: string, layer: (common: { name: string; useBias: boolean; padding: 'same' }) => tf.layers.Layer) => {
    const y = layer({ name, useBias: form.folded, padding: 'same' }).apply(x) as tf.SymbolicTensor;
    return form.folded ? y : (tf.layers.batchNormalization({ ...BATCH_NORM, name: `${name}_bn` }).apply(y) as tf.SymbolicTensor);
  };
  const conv = (x: tf.SymbolicTensor, name: string, filters: number, kernelSize: number, strides: number) =>
    normalized(x, name, (common) => tf.layers.conv2d({ ...common, filters, kernelSize, strides, kernelInitializer: init() }));
  const relu = (x: tf.SymbolicTensor) => tf.layers.reLU().apply(x) as tf.SymbolicTensor;

  const input = tf.input({ shape: [...arch.input] });
  let x = relu(conv(input, 'stem', arch.stem, 3, arch.stemStride));
  for (const block of archBlocks(arch)) {
    if (block.op.kind === 'zero') continue;
    const name = `block${block.stage}_${block.index}`;
    const { kernel, expand } = block.op;
    let h = x;
    if (expand !== 1) h = relu(conv(h, `${name}_expand`, block.inChannels * expand, 1, 1));
    h = relu(normalized(h, `${name}_depthwise`, (common) => tf.layers.depthwiseConv2d({ ...common, kernelSize: kernel, strides: block.stride, depthwiseInitializer: init() })));
    h = conv(h, `${name}_project`, block.outChannels, 1, 1);
    x = block.shortcut ? (tf.layers.add().apply([h, x]) as tf.SymbolicTensor) : h;
  }
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const output = tf.layers.dense({ name: 'classifier', units: arch.classes, activation: 'softmax', kernelInitializer: init() }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

/** The network with batch norms, freshly initialized (He normal from `seed`) for training from scratch. */
export function buildDerivedModel(arch: ProxylessArch, seed: number): tf.LayersModel {
  return buildNetwork(arch, { folded: false, seed });
}

/**
 * The trained network as deployed: every batch norm folded into the convolution before it
 * (w' = w · γ/√(σ² + ε) per output channel, b' = β − μ · γ/√(σ² + ε)), the form its latency
 * table measures. Computes what `trained` computes in inference mode.
 */
export function foldBatchNorms(arch: ProxylessArch, trained: tf.LayersModel): tf.LayersModel {
  const deployed = buildNetwork(arch, { folded: true });
  tf.tidy(() => {
    for (const layer of deployed.layers) {
      // Activations, adds and pooling have no weights (nor stable names to match).
      if (layer.countParams() === 0) continue;
      const source = trained.getLayer(layer.name);
      if (layer.name === 'classifier') {
        layer.setWeights(source.getWeights());
        continue;
      }
      const bn = trained.getLayer(`${layer.name}_bn`);
      const [gamma, beta, mean, variance] = bn.getWeights();
      const epsilon = (bn.getConfig().epsilon as number) ?? BATCH_NORM.epsilon;
      const scale = gamma.div(variance.add(epsilon).sqrt());
      const [kernel] = source.getWeights();
      // A depthwise kernel [k, k, channels, 1] scales along its channels, a conv kernel [k, k, in, out] along its outputs.
      const depthwise = layer.getClassName() === 'DepthwiseConv2D';
      const folded = kernel.mul(depthwise ? scale.reshape([1, 1, -1, 1]) : scale.reshape([1, 1, 1, -1]));
      layer.setWeights([folded, beta.sub(mean.mul(scale))]);
    }
  });
  return deployed;
}

/**
 * The network as NAS Studio's own training layers build it (server/training/mobileNet.ts, about
 * ten times faster to train on 'wasm' than tf.layers): `Zero` blocks left out, every other block
 * an MBConv of its stage, the reference's batch norms.
 */
export function derivedMobileNetConfig(arch: ProxylessArch): MobileNetConfig {
  const blocks = archBlocks(arch);
  return {
    inputShape: [...arch.input],
    stemChannels: arch.stem,
    stemStride: arch.stemStride,
    stages: arch.stages.map((stage, s) => {
      // A stage's first block is never `Zero` when it changes the shape (parseProxylessArch), so the
      // first block left has the stage's stride and widths.
      const ops = blocks.flatMap((b) => (b.stage === s && b.op.kind === 'mbconv' ? [b.op] : []));
      return { width: stage.width, depth: ops.length, stride: stage.stride, kernelSize: ops.map((op) => op.kernel), expandRatio: ops.map((op) => op.expand) };
    }),
    classes: arch.classes,
    batchNorm: REFERENCE_BATCH_NORM,
  };
}

/**
 * A network trained as `derivedMobileNetConfig(arch)` in the form `buildDerivedModel` builds (its
 * weights and running statistics copied layer by layer), for everything downstream of training:
 * evaluation, `foldBatchNorms`, saving.
 */
export function derivedLayersModel(arch: ProxylessArch, net: MobileNet): tf.LayersModel {
  const model = buildNetwork(arch, { folded: false, seed: 0 });
  const bnWeights = (bn: BatchNorm) => [bn.gamma, bn.beta, bn.runningMean, bn.runningVariance];
  const assign = (name: string, kernel: tf.Tensor, bn: BatchNorm) => {
    model.getLayer(name).setWeights([kernel]);
    model.getLayer(`${name}_bn`).setWeights(bnWeights(bn));
  };
  assign('stem', net.stem.conv.filter, net.stem.bn);
  const kept = archBlocks(arch).filter((block) => block.op.kind !== 'zero');
  kept.forEach((block, i) => {
    const name = `block${block.stage}_${block.index}`;
    const { expand, depthwise, project } = net.blocks[i];
    if (expand) assign(`${name}_expand`, expand.conv.filter, expand.bn);
    assign(`${name}_depthwise`, depthwise.conv.filter, depthwise.bn);
    assign(`${name}_project`, project.conv.filter, project.bn);
  });
  model.getLayer('classifier').setWeights([net.classifier.kernel, net.classifier.bias]);
  return model;
}
