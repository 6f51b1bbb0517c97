/**
 * Adam over the architecture parameters, as torch.optim.Adam steps them in the reference: one
 * parameter per mixed block, each with its own step count; a block whose gradient is None this
 * step (its active candidate was `Zero`) is skipped entirely. No weight decay, no AMSGrad.
 */
export interface AdamConfig {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

/** The reference's architecture optimizer: Adam, lr 1e-3, betas (0, 0.999), eps 1e-8. */
export const ARCH_ADAM: AdamConfig = { learningRate: 1e-3, beta1: 0, beta2: 0.999, epsilon: 1e-8 };

/** Moments and step count of every block (what a checkpoint keeps). */
export interface AdamState {
  readonly m: number[][];
  readonly v: number[][];
  readonly steps: number[];
}

export class ArchAdam {
  private constructor(
    readonly config: AdamConfig,
    private readonly moments: AdamState,
  ) {}

  static fresh(config: AdamConfig, sizes: readonly number[]): ArchAdam {
    return new ArchAdam(config, { m: sizes.map((n) => new Array<number>(n).fill(0)), v: sizes.map((n) => new Array<number>(n).fill(0)), steps: sizes.map(() => 0) });
  }

  static restore(config: AdamConfig, state: AdamState): ArchAdam {
    return new ArchAdam(config, { m: state.m.map((r) => [...r]), v: state.v.map((r) => [...r]), steps: [...state.steps] });
  }

  /** One update of block `b`'s parameters in place. */
  step(b: number, alpha: number[], grad: readonly number[]): void {
    const { learningRate, beta1, beta2, epsilon } = this.config;
    const m = this.moments.m[b];
    const v = this.moments.v[b];
    const t = ++this.moments.steps[b];
    const correction1 = 1 - beta1 ** t;
    const correction2 = 1 - beta2 ** t;
    for (let i = 0; i < alpha.length; i++) {
      m[i] = beta1 * m[i] + (1 - beta1) * grad[i];
      v[i] = beta2 * v[i] + (1 - beta2) * grad[i] * grad[i];
      const denominator = Math.sqrt(v[i]) / Math.sqrt(correction2) + epsilon;
      alpha[i] -= (learningRate / correction1) * (m[i] / denominator);
    }
  }

  state(): AdamState {
    return { m: this.moments.m.map((r) => [...r]), v: this.moments.v.map((r) => [...r]), steps: [...this.moments.steps] };
  }
}
