/**
 * The architecture loss with its latency term, the two forms of the reference's
 * `add_regularization_loss` (search/nas_manager.py) and one of NAS Studio's, with their
 * derivatives: the architecture step turns them into gradients for α through the gates and the
 * expected latency.
 */

/**
 * `add#abs` is not in the reference. add#linear's gradient in E[lat] is λ / T wherever E[lat] is:
 * a penalty that sends blocks to Zero unless λ is tuned per target. add#abs pulls E[lat] towards
 * T from both sides.
 */
export type LatencyLossType = 'mul#log' | 'add#linear' | 'add#abs';

export interface LatencyLossSpec {
  readonly type: LatencyLossType;
  /** The target latency T, in milliseconds. */
  readonly target: number;
  /** mul#log: α · CE · (log E / log T)^β. */
  readonly alpha: number;
  readonly beta: number;
  /** add#linear: CE + λ (E − T) / T; add#abs: CE + λ |E − T| / T. */
  readonly lambda: number;
}

/** Loss value and its partial derivatives with respect to the cross-entropy and the expected latency. */
export interface LossTerms {
  readonly loss: number;
  readonly dCrossEntropy: number;
  readonly dLatency: number;
}

/**
 * mul#log is defined for latencies above 1 ms only (log E and log T positive, as with the
 * reference's 80 ms target); callers check that the space's range allows it.
 */
export function latencyLoss(spec: LatencyLossSpec, crossEntropy: number, expected: number): LossTerms {
  if (spec.type === 'add#abs') {
    return { loss: crossEntropy + (spec.lambda * Math.abs(expected - spec.target)) / spec.target, dCrossEntropy: 1, dLatency: (spec.lambda * Math.sign(expected - spec.target)) / spec.target };
  }
  if (spec.type === 'add#linear') {
    return { loss: crossEntropy + (spec.lambda * (expected - spec.target)) / spec.target, dCrossEntropy: 1, dLatency: spec.lambda / spec.target };
  }
  const logTarget = Math.log(spec.target);
  const ratio = Math.log(expected) / logTarget;
  const regularizer = ratio ** spec.beta;
  return {
    loss: spec.alpha * crossEntropy * regularizer,
    dCrossEntropy: spec.alpha * regularizer,
    dLatency: spec.alpha * crossEntropy * spec.beta * ratio ** (spec.beta - 1) * (1 / (expected * logTarget)),
  };
}
