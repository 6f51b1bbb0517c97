import * as tf from '@tensorflow/tfjs';
import { MobileNet } from '../training/mobileNet';
import { derivedLayersModel, derivedMobileNetConfig } from './derivedModel';
import type { ProxylessArch } from './proxylessArch';

/**
 * Trains a network of the ProxylessNAS space from scratch with NAS Studio's own training layers
 * (fused batch-norm and convolution gradients), which on 'wasm' train about ten times faster than
 * the same network in tf.layers. The optimizer is the train evaluator's (Adam at
 * `learningRate`), and the trained network is handed over as the tf.layers model the train
 * evaluator would have trained, so evaluation, folding and saving do not change.
 */
export class DerivedNetworkTrainer {
  private readonly net: MobileNet;
  private readonly optimizer: tf.Optimizer;

  constructor(
    private readonly arch: ProxylessArch,
    seed: number,
    learningRate: number,
  ) {
    this.net = new MobileNet(derivedMobileNetConfig(arch), seed);
    this.optimizer = tf.train.adam(learningRate);
  }

  /** One Adam step on a batch; its mean cross-entropy and accuracy. */
  step(images: tf.Tensor4D, labels: Int32Array): { loss: number; accuracy: number } {
    const [loss, correct] = tf.tidy(() => {
      const y = tf.tensor1d(labels, 'int32');
      let logits!: tf.Tensor2D;
      const { value, grads } = tf.variableGrads(() => {
        logits = tf.keep(this.net.apply(images, { training: true }));
        return tf.losses.softmaxCrossEntropy(tf.oneHot(y, this.arch.classes), logits) as tf.Scalar;
      }, this.net.trainableVariables as tf.Variable[]);
      this.optimizer.applyGradients(grads);
      const hits = tf.sum(tf.equal(tf.argMax(logits, 1), y));
      logits.dispose();
      return [value.dataSync()[0], hits.dataSync()[0]];
    });
    return { loss, accuracy: correct / labels.length };
  }

  /** The trained network as a tf.layers model with batch norms (`buildDerivedModel`'s form); the caller disposes it. */
  layersModel(): tf.LayersModel {
    return derivedLayersModel(this.arch, this.net);
  }

  dispose(): void {
    this.optimizer.dispose();
    this.net.dispose();
  }
}
