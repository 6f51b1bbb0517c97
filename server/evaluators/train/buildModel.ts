import * as tf from '@tensorflow/tfjs';
import { buildDerivedModel, foldBatchNorms } from '../../proxyless/derivedModel';
import type { ProxylessArch } from '../../proxyless/proxylessArch';
import type { LayerStackArch } from '../../spaces/layers/layerSpec';

/** What the train evaluator trains: layer stacks, and networks a ProxylessNAS search derived. */
export type TrainableArch = LayerStackArch | ProxylessArch;

/** A model ending in class probabilities, weights initialized from `seed`. */
export function buildTrainableModel(arch: TrainableArch, seed: number): tf.LayersModel {
  return arch.space === 'layers' ? buildLayerStackModel(arch, seed) : buildDerivedModel(arch, seed);
}

/** The trained model as deployed (timed and saved): a derived network's batch norms folded into its convolutions. */
export function deployedModel(arch: TrainableArch, trained: tf.LayersModel): tf.LayersModel {
  return arch.space === 'layers' ? trained : foldBatchNorms(arch, trained);
}

/** Classes the model predicts: its last dense layer's units. */
export function archClasses(arch: TrainableArch): number | undefined {
  if (arch.space === 'proxyless') return arch.classes;
  const last = arch.layers[arch.layers.length - 1];
  return last.type === 'dense' ? last.units : undefined;
}

/**
 * Layer names after the architecture (conv1, pool1, flatten, fc1, ..., classifier): exported
 * models (ONNX nodes, PyTorch attributes) carry them.
 */
function layerNames(arch: LayerStackArch): string[] {
  const counts = new Map<string, number>();
  const prefix = { conv2d: 'conv', maxpool: 'pool', flatten: 'flatten', dense: 'fc', dropout: 'dropout' } as const;
  return arch.layers.map((layer, i) => {
    if (i === arch.layers.length - 1 && layer.type === 'dense') return 'classifier';
    const n = (counts.get(layer.type) ?? 0) + 1;
    counts.set(layer.type, n);
    return `${prefix[layer.type]}${n}`;
  });
}

/** A compiled-ready tf.LayersModel for a layer stack; weights initialized from `seed`. */
export function buildLayerStackModel(arch: LayerStackArch, seed: number): tf.Sequential {
  const model = tf.sequential();
  let layerSeed = seed;
  const init = () => tf.initializers.glorotUniform({ seed: layerSeed++ });
  const names = layerNames(arch);
  arch.layers.forEach((layer, i) => {
    const common = { ...(i === 0 ? { inputShape: [...arch.input] } : {}), name: names[i] };
    switch (layer.type) {
      case 'conv2d':
        model.add(
          tf.layers.conv2d({
            ...common,
            filters: layer.filters,
            kernelSize: layer.kernel,
            strides: layer.stride,
            padding: 'same',
            activation: layer.activation,
            kernelInitializer: init(),
          }),
        );
        break;
      case 'maxpool':
        model.add(tf.layers.maxPooling2d({ ...common, poolSize: layer.size, strides: layer.size }));
        break;
      case 'flatten':
        model.add(tf.layers.flatten(common));
        break;
      case 'dense':
        model.add(tf.layers.dense({ ...common, units: layer.units, activation: layer.activation, kernelInitializer: init() }));
        break;
      case 'dropout':
        model.add(tf.layers.dropout({ ...common, rate: layer.rate, seed: layerSeed++ }));
        break;
    }
  });
  return model;
}
