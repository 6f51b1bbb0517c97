import type { Genome } from './searchSpace';

/** Named numeric results of one evaluation (accuracy, latency_ms, flops, params, ...). */
export type Metrics = Record<string, number>;

export interface EvaluationContext {
  readonly signal: AbortSignal;
  /** Seed for anything random in this evaluation (weight init, data order). */
  readonly seed: number;
  readonly trial: number;
  /** Fraction in [0, 1] of this evaluation done, with an optional short message. */
  progress(fraction: number, message?: string): void;
  /** Log line for the engine log. */
  log(message: string): void;
}

/** Turns an architecture into metrics. Cancellable through `signal`; rejects with CancelledError. */
export interface Evaluator {
  /** Names of the metrics every evaluation returns. */
  readonly metrics: readonly string[];
  evaluate(genome: Genome, context: EvaluationContext): Promise<Metrics>;
  /** Release workers, files, tensors. */
  dispose(): Promise<void>;
}
