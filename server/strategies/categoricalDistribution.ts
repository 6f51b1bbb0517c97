import type { Rng } from '../core/rng';
import type { Decision, Genome } from '../core/searchSpace';

/** One probability vector per decision; each sums to 1. */
export type DecisionProbabilities = number[][];

export function uniformProbabilities(decisions: readonly Decision[]): DecisionProbabilities {
  return decisions.map((d) => new Array<number>(d.choices.length).fill(1 / d.choices.length));
}

/** Draws every decision independently from its probability vector. */
export function sampleGenome(probabilities: DecisionProbabilities, rng: Rng): Genome {
  return probabilities.map((p) => rng.weightedIndex(p));
}

/** The most probable option of every decision (lowest index on ties). */
export function mostProbableGenome(probabilities: DecisionProbabilities): Genome {
  return probabilities.map((p) => p.indexOf(Math.max(...p)));
}
