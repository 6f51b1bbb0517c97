import type * as tf from '@tensorflow/tfjs';
import type { CrossReplica } from './crossReplica';

/** How a forward pass runs: training (batch statistics, running-stat updates) or inference. */
export interface ForwardContext {
  readonly training: boolean;
  /** Data-parallel replicas sharing batch-norm statistics, when training on several workers. */
  readonly replicas?: CrossReplica;
}

/** A network the training step can train: its variables and a forward pass to logits. */
export interface TrainableModel {
  /** Trained weights, in a fixed order that every replica shares. */
  readonly trainableVariables: readonly tf.Variable[];
  /** Non-trained state (batch-norm running statistics), same order on every replica. */
  readonly stateVariables: readonly tf.Variable[];
  /** NHWC images -> logits [batch, classes]. */
  apply(x: tf.Tensor4D, context: ForwardContext): tf.Tensor2D;
}
