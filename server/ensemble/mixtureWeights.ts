import { objectiveGradient, type EnsembleInputs, type Mixture } from './adanetObjective';

/** The reference's SCALAR (one weight per member) and VECTOR (one per member and class) mixture weights. */
export type MixtureWeightType = 'scalar' | 'vector';

export interface MixtureOptions {
  readonly type: MixtureWeightType;
  /** Learn the weights (else they stay at their initial 1/N: a uniform average). */
  readonly learn: boolean;
  /** Learn a bias per class for the ensemble's logits (the reference's use_bias). */
  readonly useBias: boolean;
  /** Start the previous ensemble's members from their learned weights instead of 1/N (warm_start_mixture_weights). */
  readonly warmStart: boolean;
  /** Full-batch Adam steps on the objective, and their learning rate. */
  readonly steps: number;
  readonly learningRate: number;
}

/**
 * The reference's initializer: every weight 1/N for an ensemble of N members (a uniform average),
 * the bias 0; with warm starting, the members carried over keep the weights (and the bias) they
 * learned in the previous iteration.
 */
export function initialMixture(members: number, classes: number, options: MixtureOptions, previous?: Mixture): Mixture {
  const size = options.type === 'scalar' ? 1 : classes;
  const weights = Array.from({ length: members }, (_, j) =>
    options.warmStart && previous && j < previous.weights.length ? [...previous.weights[j]] : new Array<number>(size).fill(1 / members),
  );
  const bias = options.warmStart && previous ? [...previous.bias] : new Array<number>(classes).fill(0);
  return { weights, bias };
}

const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/**
 * Minimizes the complexity-regularized objective over the mixture weights (and the bias when it
 * is learned) with full-batch Adam from `initial`, the members' logits frozen (the reference stops
 * gradients at the subnetworks). Deterministic: same inputs, same weights.
 */
export function trainMixture(inputs: EnsembleInputs, initial: Mixture, memberPenalties: readonly number[], options: MixtureOptions): Mixture {
  if (!options.learn) return initial;
  const params = [...initial.weights.map((w) => [...w]), [...initial.bias]];
  const trainable = params.map((_, k) => k < initial.weights.length || options.useBias);
  const first = params.map((p) => new Array<number>(p.length).fill(0));
  const second = params.map((p) => new Array<number>(p.length).fill(0));
  for (let step = 1; step <= options.steps; step++) {
    const mixture = { weights: params.slice(0, -1), bias: params[params.length - 1] };
    const gradient = objectiveGradient(inputs, mixture, memberPenalties);
    const grads = [...gradient.weights, gradient.bias];
    const correction1 = 1 - ADAM.beta1 ** step;
    const correction2 = 1 - ADAM.beta2 ** step;
    params.forEach((p, k) => {
      if (!trainable[k]) return;
      for (let i = 0; i < p.length; i++) {
        const g = grads[k][i];
        first[k][i] = ADAM.beta1 * first[k][i] + (1 - ADAM.beta1) * g;
        second[k][i] = ADAM.beta2 * second[k][i] + (1 - ADAM.beta2) * g * g;
        p[i] -= (options.learningRate * (first[k][i] / correction1)) / (Math.sqrt(second[k][i] / correction2) + ADAM.epsilon);
      }
    });
  }
  return { weights: params.slice(0, -1), bias: params[params.length - 1] };
}
