import type { Genome } from '../core/searchSpace';
import type { Rng } from '../core/rng';
import { NasError } from '../core/errors';
import { type Candidate, type Finder, type FinderOutcome, type SearchControl, type SearchProblem, checkpoint } from './searchProblem';

export interface OfaEvolutionOptions {
  populationSize?: number;
  generations?: number;
  parentRatio?: number;
  mutationRatio?: number;
  mutateProbability?: number;
}

export const OFA_EVOLUTION_DEFAULTS: Required<OfaEvolutionOptions> = {
  populationSize: 100,
  generations: 500,
  parentRatio: 0.25,
  mutationRatio: 0.5,
  mutateProbability: 0.1,
};

/** Rejection sampling gives up after this many infeasible draws in a row (OFA's loops never do). */
const MAX_REJECTIONS = 100_000;

/**
 * OFA's `EvolutionFinder` (ofa/tutorial/evolution_finder.py), ported step for step as the
 * reference NAS Studio's own finder is measured against: a population of feasible random
 * samples; each generation keeps the best `parentRatio` as parents, then refills with mutants
 * (OFA mutation, see OfaMbv3Space.mutate) and uniform crossovers of random parents, every child
 * resampled until it meets the constraint. The best individual is read at the start of each
 * generation, so, as in OFA, the last generation's children are never looked at.
 */
export class OfaEvolutionFinder implements Finder {
  readonly name = 'ofa-evolution';
  readonly options: Required<OfaEvolutionOptions>;

  constructor(options: OfaEvolutionOptions = {}) {
    this.options = { ...OFA_EVOLUTION_DEFAULTS, ...options };
  }

  async search(problem: SearchProblem, rng: Rng, control: SearchControl = {}): Promise<FinderOutcome> {
    const { populationSize, generations, parentRatio, mutationRatio, mutateProbability } = this.options;
    const { space } = problem;
    const mutationCount = Math.round(mutationRatio * populationSize);
    const parentCount = Math.round(parentRatio * populationSize);
    let evaluations = 0;

    const feasible = (make: () => Genome): { genome: Genome; cost: number } => {
      for (let attempt = 0; attempt < MAX_REJECTIONS; attempt++) {
        const genome = make();
        const cost = problem.cost.cost(genome);
        if (cost <= problem.limit) return { genome, cost };
      }
      throw new NasError('failed', `OFA's evolution finder drew ${MAX_REJECTIONS} infeasible architectures in a row at limit ${problem.limit}; the constraint is too tight for rejection sampling`);
    };
    const evaluate = (children: { genome: Genome; cost: number }[]): Candidate[] => {
      const accuracies = problem.predictor.predictMany(children.map((c) => c.genome));
      evaluations += children.length;
      return children.map((c, i) => ({ genome: c.genome, cost: c.cost, accuracy: accuracies[i] }));
    };

    let population = evaluate(Array.from({ length: populationSize }, () => feasible(() => space.sample(rng))));
    let best: Candidate | undefined;
    for (let generation = 0; generation < generations; generation++) {
      await checkpoint(control.signal);
      const parents = population
        .map((c, i) => ({ c, i }))
        .sort((a, b) => b.c.accuracy - a.c.accuracy || b.i - a.i)
        .slice(0, parentCount)
        .map(({ c }) => c);
      if (!best || parents[0].accuracy > best.accuracy) best = parents[0];
      control.progress?.(generation / generations, best);

      const children: { genome: Genome; cost: number }[] = [];
      for (let j = 0; j < mutationCount; j++) {
        const parent = parents[rng.int(parentCount)].genome;
        children.push(feasible(() => space.mutate(parent, rng, mutateProbability)));
      }
      for (let j = mutationCount; j < populationSize; j++) {
        const a = parents[rng.int(parentCount)].genome;
        const b = parents[rng.int(parentCount)].genome;
        children.push(feasible(() => space.crossover(a, b, rng)));
      }
      population = [...parents, ...evaluate(children)];
    }
    if (!best) best = population.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
    control.progress?.(1, best);
    return { best, evaluations };
  }
}
