import * as tf from '@tensorflow/tfjs';
import type { ForwardContext, TrainableModel } from './model';
import { MomentumSgd } from './momentumSgd';

/** Mean softmax cross-entropy of logits against integer class labels. */
export function crossEntropyLoss(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const classes = logits.shape[1];
  return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, classes), logits) as tf.Scalar;
}

export interface Gradients {
  loss: tf.Scalar;
  /** One gradient per model.trainableVariables entry, same order. */
  grads: tf.Tensor[];
}

/** Loss and gradients of one batch in training mode (updates batch-norm running statistics). */
export function computeGradients(model: TrainableModel, x: tf.Tensor4D, labels: tf.Tensor1D, context: ForwardContext = { training: true }): Gradients {
  const variables = model.trainableVariables;
  const { value, grads } = tf.variableGrads(() => crossEntropyLoss(model.apply(x, context), labels), variables as tf.Variable[]);
  return { loss: value, grads: variables.map((v) => grads[v.name]) };
}

/** The engine's fused SGD or any tfjs optimizer. */
export type TrainOptimizer = MomentumSgd | tf.Optimizer;

/** Applies gradients (ordered as model.trainableVariables) with the optimizer. */
export function applyGradients(model: TrainableModel, grads: tf.Tensor[], optimizer: TrainOptimizer): void {
  if (optimizer instanceof MomentumSgd) optimizer.apply(model.trainableVariables, { perVariable: grads });
  else optimizer.applyGradients(model.trainableVariables.map((v, i) => ({ name: v.name, tensor: grads[i] })));
}

/** One SGD step on a batch: forward, backward, update. Returns the batch loss. */
export function trainStep(model: TrainableModel, x: tf.Tensor4D, labels: tf.Tensor1D, optimizer: TrainOptimizer): number {
  const loss = tf.tidy(() => {
    const { loss, grads } = computeGradients(model, x, labels);
    applyGradients(model, grads, optimizer);
    return loss;
  });
  const value = loss.dataSync()[0];
  loss.dispose();
  return value;
}
