import * as tf from '@tensorflow/tfjs';
import { hashString } from '../core/rng';

/**
 * Creates a network's variables in a fixed order from one seed, so that every data-parallel
 * replica (and a single-process reference) builds bit-identical initial weights.
 */
export class ParamFactory {
  private draws = 0;
  readonly trainable: tf.Variable[] = [];
  /** Non-trained state such as batch-norm running statistics. */
  readonly state: tf.Variable[] = [];

  constructor(private readonly seed: number) {}

  /**
   * He-normal initialisation (std = sqrt(2 / fanIn)), suited to ReLU networks. Each draw gets its
   * own non-zero seed: tfjs treats seed 0 as "no seed" and would draw different weights per replica.
   */
  heNormal(shape: number[], fanIn: number): tf.Variable {
    const seed = hashString(`${this.seed}/${this.draws++}`) || 1;
    return this.add(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed), true);
  }

  /** A trainable identity matrix (e.g. OFA's kernel-transformation matrices start as the identity). */
  identity(size: number): tf.Variable {
    return this.add(tf.eye(size), true);
  }

  constant(shape: number[], value: number, trainable = true): tf.Variable {
    return this.add(tf.fill(shape, value), trainable);
  }

  private add(initial: tf.Tensor, trainable: boolean): tf.Variable {
    const v = tf.variable(initial, trainable);
    initial.dispose();
    (trainable ? this.trainable : this.state).push(v);
    return v;
  }
}
