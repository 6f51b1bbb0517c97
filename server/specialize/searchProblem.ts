import type { Genome } from '../core/searchSpace';
import type { Rng } from '../core/rng';
import { CancelledError } from '../core/errors';
import type { AccuracyPredictor } from '../ofa/accuracyPredictor';
import type { AdditiveCost } from '../ofa/additiveCost';
import type { OfaMbv3Space } from '../spaces/ofa/ofaMbv3Space';

/** Maximize predicted accuracy subject to `cost(genome) <= limit`. */
export interface SearchProblem {
  readonly space: OfaMbv3Space;
  readonly predictor: AccuracyPredictor;
  readonly cost: AdditiveCost;
  readonly limit: number;
  /**
   * Known feasible architectures a finder may start from (a sweep passes the results of its
   * smaller limits). OFA's finder ignores them, as OFA does.
   */
  readonly starts?: readonly Genome[];
}

export interface Candidate {
  readonly genome: Genome;
  /** Predicted accuracy as a fraction. */
  readonly accuracy: number;
  readonly cost: number;
}

export interface SearchControl {
  readonly signal?: AbortSignal;
  /** Fraction of the search done and the best feasible candidate so far. */
  progress?(fraction: number, best: Candidate): void;
}

export interface FinderOutcome {
  readonly best: Candidate;
  /** Accuracy-predictor evaluations spent. */
  readonly evaluations: number;
}

/** A specialization search algorithm. Same problem, same Rng state: same outcome. */
export interface Finder {
  readonly name: string;
  search(problem: SearchProblem, rng: Rng, control?: SearchControl): Promise<FinderOutcome>;
}

/**
 * Lets pending events (an abort from the editor, an IPC message) run between search steps, then
 * throws CancelledError if the search was aborted. Searches are CPU-bound; without this an
 * AbortSignal could never fire mid-search and the engine could not answer while one runs.
 */
export async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (signal?.aborted) throw new CancelledError('specialization search cancelled');
}
