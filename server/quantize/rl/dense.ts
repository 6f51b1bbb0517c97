import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/rng';

/**
 * A fully connected layer initialized as PyTorch's nn.Linear is (weights and bias uniform in
 * +-1/sqrt(fan_in)), from a seeded Rng; kernel [in, out].
 */
export class Dense {
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;

  constructor(inFeatures: number, outFeatures: number, rng: Rng) {
    const bound = 1 / Math.sqrt(inFeatures);
    const uniform = (n: number) => Float32Array.from({ length: n }, () => (2 * rng.next() - 1) * bound);
    this.kernel = tf.variable(tf.tensor2d(uniform(inFeatures * outFeatures), [inFeatures, outFeatures]));
    this.bias = tf.variable(tf.tensor1d(uniform(outFeatures)));
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.matMul(x, this.kernel as tf.Tensor2D), this.bias);
  }

  get variables(): tf.Variable[] {
    return [this.kernel, this.bias];
  }
}

/** A network made of Dense layers: its variables in a fixed order, copied and blended as a whole. */
export abstract class DenseNetwork {
  abstract readonly layers: readonly Dense[];

  get variables(): tf.Variable[] {
    return this.layers.flatMap((l) => l.variables);
  }

  weights(): Float32Array[] {
    return this.variables.map((v) => v.dataSync() as Float32Array);
  }

  setWeights(weights: readonly Float32Array[]): void {
    tf.tidy(() => this.variables.forEach((v, i) => v.assign(tf.tensor(weights[i], v.shape))));
  }

  /** target = (1 - tau) * target + tau * source (tau = 1: a copy). */
  blendFrom(source: DenseNetwork, tau: number): void {
    const from = source.variables;
    tf.tidy(() => this.variables.forEach((v, i) => v.assign(v.mul(1 - tau).add(from[i].mul(tau)))));
  }

  dispose(): void {
    tf.dispose(this.variables);
  }
}

/** The actor: state -> fc 300 -> ReLU -> fc 300 -> ReLU -> fc 1 -> sigmoid (an action in [0, 1]). */
export class Actor extends DenseNetwork {
  readonly layers: readonly Dense[];

  constructor(states: number, hidden1: number, hidden2: number, rng: Rng) {
    super();
    this.layers = [new Dense(states, hidden1, rng), new Dense(hidden1, hidden2, rng), new Dense(hidden2, 1, rng)];
  }

  apply(states: tf.Tensor2D): tf.Tensor2D {
    const [fc1, fc2, fc3] = this.layers;
    return tf.sigmoid(fc3.apply(tf.relu(fc2.apply(tf.relu(fc1.apply(states))))));
  }
}

/** The critic: relu(fc(state) + fc(action)) -> fc 300 -> ReLU -> fc 1 (the action's value). */
export class Critic extends DenseNetwork {
  readonly layers: readonly Dense[];

  constructor(states: number, hidden1: number, hidden2: number, rng: Rng) {
    super();
    this.layers = [new Dense(states, hidden1, rng), new Dense(1, hidden1, rng), new Dense(hidden1, hidden2, rng), new Dense(hidden2, 1, rng)];
  }

  apply(states: tf.Tensor2D, actions: tf.Tensor2D): tf.Tensor2D {
    const [fc11, fc12, fc2, fc3] = this.layers;
    return fc3.apply(tf.relu(fc2.apply(tf.relu(tf.add<tf.Tensor2D>(fc11.apply(states), fc12.apply(actions))))));
  }
}
