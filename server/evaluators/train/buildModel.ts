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

/** A compiled-ready tf.LayersModel for a layer stack; weights initialized from `seed`. */
export function buildLayerStackModel(arch: LayerStackArch, seed: number): tf.Sequential {
  const model = tf.sequential();
  let layerSeed = seed;
  const init = () => tf.initializers.glorotUniform({ seed: layerSeed++ });
  arch.layers.forEach((layer, i) => {
    const inputShape = i === 0 ? { inputShape: [...arch.input] } : {};
    switch (layer.type) {
      case 'conv2d':
        model.add(
          tf.layers.conv2d({
            ...inputShape,
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
        model.add(tf.layers.maxPooling2d({ ...inputShape, poolSize: layer.size, strides: layer.size }));
        break;
      case 'flatten':
        model.add(tf.layers.flatten(inputShape));
        break;
      case 'dense':
        model.add(tf.layers.dense({ ...inputShape, units: layer.units, activation: layer.activation, kernelInitializer: init() }));
        break;
      case 'dropout':
        model.add(tf.layers.dropout({ ...inputShape, rate: layer.rate, seed: layerSeed++ }));
        break;
    }
  });
  return model;
}
