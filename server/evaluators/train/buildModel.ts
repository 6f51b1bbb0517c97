import * as tf from '@tensorflow/tfjs';
import { foldBatchNorms } from '../../proxyless/derivedModel';
import { DerivedNetworkTrainer } from '../../proxyless/derivedTrainer';
import type { ProxylessArch } from '../../proxyless/proxylessArch';
import type { LayerStackArch } from '../../spaces/layers/layerSpec';

/** What the train evaluator trains: layer stacks, and networks a ProxylessNAS search derived. */
export type TrainableArch = LayerStackArch | ProxylessArch;

/** Trains a job's network from scratch, batch by batch (Adam). */
export interface BatchTrainer {
  /** One step on a batch (images as `networkInput` gives them); its mean loss and accuracy. */
  step(images: tf.Tensor4D, labels: Int32Array): Promise<{ loss: number; accuracy: number }>;
  /** The trained network as a tf.LayersModel ending in class probabilities (the caller disposes it); the trainer holds nothing after. */
  finish(): tf.LayersModel;
  /** Frees the trainer when nothing is handed over (a failed or cancelled training). */
  dispose(): void;
}

/**
 * The trainer of an architecture, weights initialized from `seed`: a layer stack trains as a
 * tf.layers model; a derived ProxylessNAS network trains on NAS Studio's own layers (about ten
 * times faster) and is handed over as the same tf.layers model.
 */
export function batchTrainer(arch: TrainableArch, seed: number, learningRate: number, classes: number): BatchTrainer {
  if (arch.space === 'proxyless') {
    const trainer = new DerivedNetworkTrainer(arch, seed, learningRate);
    return {
      step: async (images, labels) => trainer.step(images, labels),
      finish: () => {
        try {
          return trainer.layersModel();
        } finally {
          trainer.dispose();
        }
      },
      dispose: () => trainer.dispose(),
    };
  }
  const model = buildLayerStackModel(arch, seed);
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return {
    step: async (images, labels) => {
      const oneHot = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), classes).toFloat());
      try {
        const [loss, accuracy] = (await model.trainOnBatch(images, oneHot)) as number[];
        return { loss, accuracy };
      } finally {
        oneHot.dispose();
      }
    },
    finish: () => model,
    dispose: () => model.dispose(),
  };
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
