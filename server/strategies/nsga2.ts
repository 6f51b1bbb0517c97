import { crowdingDistance, nonDominatedSort } from '../core/pareto';
import type { Genome } from '../core/searchSpace';
import type { Observation, Strategy, StrategyContext, StrategyDefinition, TransferredObservation } from '../core/strategy';
import { ProposalMemory } from './proposalMemory';

export interface Nsga2Options {
  /** Parents kept per generation; also the number of children bred per generation. */
  population?: number;
  /** Probability that a child is a uniform crossover of two parents rather than a copy of one. */
  crossoverProbability?: number;
  /** Per-decision resampling probability; omitted = change exactly one decision per child. */
  mutationProbability?: number;
}

/** About ten generations within the budget, but never a tiny or a huge population. */
export function defaultPopulation(budget: number): number {
  return Math.min(50, Math.max(10, Math.round(budget / 10)));
}

interface Individual {
  readonly genome: Genome;
  readonly observation: Observation;
}

interface RankedIndividual extends Individual {
  /** 0 for the first front; infeasible individuals rank after every feasible one. */
  readonly rank: number;
  readonly crowding: number;
}

/**
 * Constrained non-dominated sorting (Deb et al. 2002): feasible individuals by Pareto fronts,
 * then infeasible ones by Pareto fronts. Returns fronts of indices, best first.
 */
export function constrainedFronts(individuals: readonly Individual[]): number[][] {
  const byFeasibility = (feasible: boolean) => {
    const members = individuals.map((_, i) => i).filter((i) => individuals[i].observation.feasible === feasible);
    return nonDominatedSort(members.map((i) => individuals[i].observation.objectives)).map((front) =>
      front.map((k) => members[k]),
    );
  };
  return [...byFeasibility(true), ...byFeasibility(false)];
}

/** NSGA-II environmental selection: whole fronts while they fit, the last one by crowding distance. */
export function selectSurvivors(individuals: readonly Individual[], size: number): RankedIndividual[] {
  const survivors: RankedIndividual[] = [];
  constrainedFronts(individuals).forEach((front, rank) => {
    if (survivors.length >= size) return;
    const crowding = crowdingDistance(front.map((i) => individuals[i].observation.objectives));
    const ranked = front.map((i, k) => ({ ...individuals[i], rank, crowding: crowding[k] }));
    const room = size - survivors.length;
    if (ranked.length > room) ranked.sort((a, b) => b.crowding - a.crowding);
    survivors.push(...ranked.slice(0, room));
  });
  return survivors;
}

/**
 * NSGA-II (Deb et al. 2002) in ask/tell form for two or more objectives: binary tournaments on
 * (front rank, crowding distance), uniform crossover and mutation, elitist selection over
 * parents and children. A generation closes when `population` children have been told, so
 * asks may run ahead of tells. `recommend()` returns the Pareto front of everything evaluated.
 * A warm start's prior makes the transferred architectures the first parents (selected among
 * themselves by their own objectives): the first generation is bred from them, and the next
 * parents are selected from its children alone, since the objectives of another run do not
 * compare with this run's.
 */
export class Nsga2 implements Strategy {
  private parents: RankedIndividual[] = [];
  private children: Individual[] = [];
  /** Whether the parents are transferred architectures (until the first generation closes). */
  private transferredParents = false;
  private readonly evaluated: Individual[] = [];
  private readonly proposals: ProposalMemory;
  readonly populationSize: number;
  readonly crossoverProbability: number;

  constructor(
    private readonly context: StrategyContext,
    private readonly options: Nsga2Options = {},
  ) {
    this.populationSize = Math.max(2, options.population ?? defaultPopulation(context.budget));
    this.crossoverProbability = options.crossoverProbability ?? 0.9;
    this.proposals = new ProposalMemory(context.space);
  }

  ask(): Genome {
    const { space, rng } = this.context;
    if (this.parents.length === 0) return this.proposals.drawNew(() => space.sample(rng));
    return this.proposals.drawNew(() => this.breed());
  }

  tell(genome: Genome, observation: Observation): void {
    this.proposals.remember(genome);
    const individual = { genome, observation };
    this.evaluated.push(individual);
    this.children.push(individual);
    if (this.children.length >= this.populationSize) {
      this.parents = selectSurvivors(this.transferredParents ? this.children : [...this.parents, ...this.children], this.populationSize);
      this.children = [];
      this.transferredParents = false;
    }
  }

  prior(observations: readonly TransferredObservation[]): void {
    if (observations.length === 0) return;
    this.parents = selectSurvivors(observations, this.populationSize);
    this.transferredParents = true;
  }

  /** Current parent population (for tests and views). */
  population(): readonly RankedIndividual[] {
    return this.parents;
  }

  recommend(): Genome[] {
    const [first] = constrainedFronts(this.evaluated);
    return (first ?? []).map((i) => this.evaluated[i].genome);
  }

  private breed(): Genome {
    const { space, rng } = this.context;
    const a = this.tournament();
    const child = rng.next() < this.crossoverProbability ? space.crossover(a, this.tournament(), rng) : a;
    return space.mutate(child, rng, this.options.mutationProbability);
  }

  private tournament(): Genome {
    const { rng } = this.context;
    const a = this.parents[rng.int(this.parents.length)];
    const b = this.parents[rng.int(this.parents.length)];
    if (a.rank !== b.rank) return a.rank < b.rank ? a.genome : b.genome;
    return a.crowding >= b.crowding ? a.genome : b.genome;
  }
}

export const nsga2: StrategyDefinition<Nsga2Options> = {
  type: 'nsga2',
  title: 'NSGA-II',
  description:
    'Multi-objective evolution (Deb et al. 2002): non-dominated sorting and crowding distance; finds the Pareto front of two or more objectives, e.g. accuracy vs. latency.',
  optionsSchema: {
    type: 'object',
    properties: {
      population: {
        type: 'integer',
        minimum: 2,
        maximum: 1000,
        description: 'Parents per generation, and children bred per generation. Default: budget / 10, between 10 and 50.',
      },
      crossoverProbability: { type: 'number', minimum: 0, maximum: 1, default: 0.9, description: 'Probability that a child is a uniform crossover of two parents.' },
      mutationProbability: {
        type: 'number',
        exclusiveMinimum: 0,
        maximum: 1,
        description: 'Per-decision resampling probability. Omit to change exactly one decision per child.',
      },
    },
    additionalProperties: false,
  },
  multiObjective: true,
  priorShapes: 'its first parents',
  create: (options, context) => new Nsga2(context, options),
};
