import { SpecError } from '../core/errors';
import type { Genome } from '../core/searchSpace';
import type { Observation, Strategy, StrategyContext, StrategyDefinition } from '../core/strategy';

export interface RegularizedEvolutionOptions {
  /** Individuals kept alive; the first `population` proposals are random samples. */
  population?: number;
  /** Tournament size: parents are the best of this many uniform draws from the population. */
  sampleSize?: number;
  /** Per-decision resampling probability; omitted = change exactly one decision. */
  mutationProbability?: number;
}

interface Individual {
  readonly genome: Genome;
  readonly fitness: number;
}

/**
 * Regularized (aging) evolution, Real et al. 2019 (arXiv 1802.01548): tournament selection,
 * one mutation per child, and the *oldest* individual dies each cycle, not the worst.
 */
export class RegularizedEvolution implements Strategy {
  /** Oldest first. */
  private readonly population: Individual[] = [];
  private asked = 0;
  readonly populationSize: number;
  readonly sampleSize: number;

  constructor(
    private readonly context: StrategyContext,
    private readonly options: RegularizedEvolutionOptions = {},
  ) {
    this.populationSize = Math.max(2, options.population ?? 20);
    this.sampleSize = Math.max(1, Math.min(options.sampleSize ?? 5, this.populationSize));
  }

  ask(): Genome {
    const { space, rng } = this.context;
    if (this.asked++ < this.populationSize || this.population.length === 0) return space.sample(rng);
    let parent = this.population[rng.int(this.population.length)];
    for (let i = 1; i < this.sampleSize; i++) {
      const candidate = this.population[rng.int(this.population.length)];
      if (candidate.fitness > parent.fitness) parent = candidate;
    }
    return space.mutate(parent.genome, rng, this.options.mutationProbability);
  }

  tell(genome: Genome, observation: Observation): void {
    this.population.push({ genome, fitness: observation.feasible ? observation.objectives[0] : -Infinity });
    if (this.population.length > this.populationSize) this.population.shift();
  }

  /** Snapshot of the living population, oldest first (for tests and views). */
  members(): readonly Individual[] {
    return this.population;
  }
}

export const regularizedEvolution: StrategyDefinition<RegularizedEvolutionOptions> = {
  type: 'regularized-evolution',
  title: 'Regularized evolution',
  description:
    'Aging evolution (Real et al. 2019): tournament selection, mutate the winner, remove the oldest individual.',
  optionsSchema: {
    type: 'object',
    properties: {
      population: { type: 'integer', minimum: 2, maximum: 10000, default: 20, description: 'Individuals kept alive; the first ones are random samples.' },
      sampleSize: { type: 'integer', minimum: 1, maximum: 10000, default: 5, description: 'Tournament size (must not exceed population).' },
      mutationProbability: {
        type: 'number',
        exclusiveMinimum: 0,
        maximum: 1,
        description: 'Per-decision resampling probability. Omit to change exactly one decision per child.',
      },
    },
  },
  multiObjective: false,
  check(options) {
    const population = options.population ?? 20;
    const sampleSize = options.sampleSize ?? 5;
    return sampleSize > population
      ? [new SpecError(`sampleSize ${sampleSize} is larger than the population of ${population}`, ['sampleSize'])]
      : [];
  },
  create: (options, context) => new RegularizedEvolution(context, options),
};
