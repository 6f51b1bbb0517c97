import * as tf from '@tensorflow/tfjs';

export interface AdamState {
  readonly step: number;
  readonly m: readonly Float32Array[];
  readonly v: readonly Float32Array[];
}

/**
 * Adam as PyTorch computes it (torch.optim.Adam, no weight decay): m and v moving averages of the
 * gradient and its square, p -= lr * m / (1 - b1^t) / (sqrt(v / (1 - b2^t)) + eps). Its state
 * (step count and moments) is plain data, so an agent checkpoint resumes it exactly.
 */
export class Adam {
  private step = 0;
  private m: tf.Tensor[];
  private v: tf.Tensor[];

  constructor(
    private readonly variables: readonly tf.Variable[],
    private readonly learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    this.m = variables.map((x) => tf.zerosLike(x));
    this.v = variables.map((x) => tf.zerosLike(x));
  }

  /** One step with gradients in the variables' order. */
  apply(gradients: readonly tf.Tensor[]): void {
    this.step++;
    const correction1 = 1 - this.beta1 ** this.step;
    const correction2 = 1 - this.beta2 ** this.step;
    const next = tf.tidy(() =>
      this.variables.map((x, i) => {
        const g = gradients[i];
        const m = this.m[i].mul(this.beta1).add(g.mul(1 - this.beta1));
        const v = this.v[i].mul(this.beta2).add(g.square().mul(1 - this.beta2));
        const denominator = v.div(correction2).sqrt().add(this.epsilon);
        x.assign(x.sub(m.div(denominator).mul(this.learningRate / correction1)));
        // Kept: the caller may be inside a tidy of its own.
        return [tf.keep(m), tf.keep(v)] as const;
      }),
    );
    tf.dispose([...this.m, ...this.v]);
    this.m = next.map(([m]) => m);
    this.v = next.map(([, v]) => v);
  }

  state(): AdamState {
    return { step: this.step, m: this.m.map((t) => t.dataSync() as Float32Array), v: this.v.map((t) => t.dataSync() as Float32Array) };
  }

  setState(state: AdamState): void {
    tf.dispose([...this.m, ...this.v]);
    this.step = state.step;
    this.m = state.m.map((data, i) => tf.tensor(data, this.variables[i].shape));
    this.v = state.v.map((data, i) => tf.tensor(data, this.variables[i].shape));
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
  }
}
