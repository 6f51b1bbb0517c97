import { SpecError } from '../core/errors';
import type { Genome } from '../core/searchSpace';
import type { Observation, Strategy, StrategyContext, StrategyDefinition, TransferredObservation } from '../core/strategy';
import { PendingAsks } from './pendingAsks';
import { bestTransferred, TransferScale } from './warmPrior';

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
  /** This run's fitness, or a transferred architecture's score in its own run. */
  readonly fitness: number;
  readonly transferred: boolean;
}

/**
 * Regularized (aging) evolution, Real et al. 2019 (arXiv 1802.01548): tournament selection,
 * one mutation per child, and the *oldest* individual dies each cycle, not the worst. A warm
 * start's prior seeds the population with the best transferred architectures in place of as
 * many random ones; they age out as this run's children arrive.
 */
export class RegularizedEvolution implements Strategy {
  /** Oldest first. */
  private readonly population: Individual[] = [];
  private readonly pending = new PendingAsks<true>();
  private readonly scale = new TransferScale();
  /** Random proposals still to make before children are bred. */
  private samplesLeft: number;
  readonly populationSize: number;
  readonly sampleSize: number;

  constructor(
    private readonly context: StrategyContext,
    private readonly options: RegularizedEvolutionOptions = {},
  ) {
    this.populationSize = Math.max(2, options.population ?? 20);
    this.sampleSize = Math.max(1, Math.min(options.sampleSize ?? 5, this.populationSize));
    this.samplesLeft = this.populationSize;
  }

  ask(): Genome {
    const genome = this.propose();
    this.pending.add(this.context.space.key(genome), true);
    return genome;
  }

  tell(genome: Genome, observation: Observation): void {
    // An architecture from elsewhere (a warm start's top-k) counts towards the random start.
    if (!this.pending.take(this.context.space.key(genome))) this.samplesLeft = Math.max(0, this.samplesLeft - 1);
    const fitness = observation.feasible ? observation.objectives[0] : -Infinity;
    this.scale.add(fitness);
    this.population.push({ genome, fitness, transferred: false });
    if (this.population.length > this.populationSize) this.population.shift();
  }

  prior(observations: readonly TransferredObservation[]): void {
    const seeds = bestTransferred(observations, this.populationSize);
    if (seeds.length === 0) return;
    this.scale.mixing = true;
    for (const seed of seeds) this.population.push({ genome: seed.genome, fitness: seed.score, transferred: true });
    this.samplesLeft = Math.max(0, this.populationSize - seeds.length);
  }

  /** Snapshot of the living population, oldest first (for tests and views). */
  members(): readonly Individual[] {
    return this.population;
  }

  private propose(): Genome {
    const { space, rng } = this.context;
    if (this.samplesLeft > 0 || this.population.length === 0) {
      this.samplesLeft = Math.max(0, this.samplesLeft - 1);
      return space.sample(rng);
    }
    let parent = this.population[rng.int(this.population.length)];
    for (let i = 1; i < this.sampleSize; i++) {
      const candidate = this.population[rng.int(this.population.length)];
      if (this.standing(candidate) > this.standing(parent)) parent = candidate;
    }
    return space.mutate(parent.genome, rng, this.options.mutationProbability);
  }

  private standing(individual: Individual): number {
    return this.scale.standing(individual.fitness, individual.transferred);
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
  priorShapes: 'its population',
  check(options) {
    const population = options.population ?? 20;
    const sampleSize = options.sampleSize ?? 5;
    return sampleSize > population
      ? [new SpecError(`sampleSize ${sampleSize} is larger than the population of ${population}`, ['sampleSize'])]
      : [];
  },
  create: (options, context) => new RegularizedEvolution(context, options),
};
