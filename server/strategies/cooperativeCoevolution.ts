import { SpecError } from '../core/errors';
import type { DecisionGroup, Genome } from '../core/searchSpace';
import type { Observation, Strategy, StrategyContext, StrategyDefinition, TransferredObservation } from '../core/strategy';
import { componentProblems, resolveComponents } from './componentSplit';
import { primaryFitness } from './fitness';
import { PendingAsks } from './pendingAsks';
import { ProposalMemory } from './proposalMemory';
import { bestTransferred, TransferScale } from './warmPrior';

export interface CooperativeCoevolutionOptions {
  /** Decision names per component; omitted = the space's natural parts. */
  components?: string[][];
  /** Members kept alive in each component's subpopulation. */
  population?: number;
  /** Tournament size within a subpopulation. */
  sampleSize?: number;
  /** Probability that a candidate collaborates with random members of the other subpopulations instead of their best. */
  randomCollaborators?: number;
  /** Per-decision resampling probability within the component; omitted = change exactly one decision. */
  mutationProbability?: number;
}

/** One member of a component's subpopulation: its choices for that component's decisions. */
export interface Member {
  readonly values: readonly number[];
  /** The best fitness of a collaboration it took part in (a transferred member: its score in its own run, until it collaborates here). */
  credit: number;
  transferred: boolean;
}

/** What a pending proposal is: a whole architecture (random or from elsewhere) or one component's candidate with its collaborators. */
type Plan =
  | { readonly kind: 'sample' }
  | { readonly kind: 'candidate'; readonly component: number; readonly values: readonly number[]; readonly collaborators: readonly Member[] };

/**
 * Cooperative co-evolution (Potter & De Jong 1994, 2000): the decisions are split into components
 * (NB201: one per edge; OFA: one per stage; layers: one per block), each evolved by its own
 * subpopulation. A candidate for one component is evaluated as an architecture assembled with the
 * best member of every other subpopulation — or, with probability `randomCollaborators`, with a
 * random member of each (Potter & De Jong's second collaborator). A member's credit is the best
 * collaboration it took part in, as the candidate or as a collaborator. Within a subpopulation,
 * selection and mutation follow regularized evolution (Real et al. 2019): the parent wins a
 * tournament of `sampleSize` draws, the child changes one of the component's decisions, and the
 * oldest member dies. Components take turns. The first `population` proposals are random
 * architectures; each one's parts join every subpopulation with its fitness as credit.
 */
export class CooperativeCoevolution implements Strategy {
  readonly components: readonly DecisionGroup[];
  readonly populationSize: number;
  readonly sampleSize: number;
  readonly randomCollaborators: number;
  /** One subpopulation per component, oldest member first. */
  private readonly subpopulations: Member[][];
  private readonly pending = new PendingAsks<Plan>();
  private readonly proposals: ProposalMemory;
  private readonly scale = new TransferScale();
  private samplesLeft: number;
  private turn = 0;

  constructor(
    private readonly context: StrategyContext,
    private readonly options: CooperativeCoevolutionOptions = {},
  ) {
    this.components = resolveComponents(context.space, options.components);
    this.populationSize = Math.max(1, options.population ?? 10);
    this.sampleSize = Math.max(1, Math.min(options.sampleSize ?? 3, this.populationSize));
    this.randomCollaborators = options.randomCollaborators ?? 0.1;
    this.subpopulations = this.components.map(() => []);
    this.proposals = new ProposalMemory(context.space);
    this.samplesLeft = this.populationSize;
  }

  /** Snapshot of a component's subpopulation, oldest first (for tests and views). */
  members(component: number): readonly Member[] {
    return this.subpopulations[component];
  }

  ask(): Genome {
    const { space, rng } = this.context;
    if (this.samplesLeft > 0 || this.subpopulations.some((s) => s.length === 0)) {
      this.samplesLeft = Math.max(0, this.samplesLeft - 1);
      const genome = this.proposals.drawNew(() => space.sample(rng));
      this.pending.add(space.key(genome), { kind: 'sample' });
      return genome;
    }
    let plan: Plan = { kind: 'sample' };
    const genome = this.proposals.drawNew(() => {
      const drawn = this.candidate();
      plan = drawn.plan;
      return drawn.genome;
    });
    this.pending.add(space.key(genome), plan);
    return genome;
  }

  tell(genome: Genome, observation: Observation): void {
    this.proposals.remember(genome);
    const fitness = primaryFitness(observation);
    this.scale.add(fitness);
    const plan = this.pending.take(this.context.space.key(genome));
    if (!plan || plan.kind === 'sample') {
      // An architecture from elsewhere counts towards the random start like a sample of our own.
      if (!plan) this.samplesLeft = Math.max(0, this.samplesLeft - 1);
      this.components.forEach((component, c) => this.join(c, { values: component.decisions.map((i) => genome[i]), credit: fitness, transferred: false }));
      return;
    }
    this.join(plan.component, { values: plan.values, credit: fitness, transferred: false });
    for (const member of plan.collaborators) credit(member, fitness);
  }

  /**
   * Seeds every subpopulation with the parts of the best transferred architectures (credited
   * with their standardized scores), in place of as many random samples. They age out as this
   * run's members arrive; one that collaborates here is credited with this run's fitness from
   * then on.
   */
  prior(observations: readonly TransferredObservation[]): void {
    const seeds = bestTransferred(observations, this.populationSize);
    if (seeds.length === 0) return;
    this.scale.mixing = true;
    this.components.forEach((component, c) => {
      for (const seed of seeds) this.join(c, { values: component.decisions.map((i) => seed.genome[i]), credit: seed.score, transferred: true });
    });
    this.samplesLeft = Math.max(0, this.populationSize - seeds.length);
  }

  /** The next component's candidate (its turn comes round), assembled with its collaborators. */
  private candidate(): { genome: Genome; plan: Plan } {
    const { rng } = this.context;
    const c = this.turn;
    this.turn = (this.turn + 1) % this.components.length;
    const values = this.mutate(this.tournament(this.subpopulations[c]).values, this.components[c]);
    const random = rng.next() < this.randomCollaborators;
    const collaborators = this.subpopulations.map((members, d) => (d === c ? undefined : random ? rng.choice(members) : this.best(members)));
    const genome = new Array<number>(this.context.space.decisions.length);
    this.components.forEach((component, d) => {
      const chosen = d === c ? values : collaborators[d]!.values;
      component.decisions.forEach((decision, k) => (genome[decision] = chosen[k]));
    });
    return { genome, plan: { kind: 'candidate', component: c, values, collaborators: collaborators.filter((m): m is Member => m !== undefined) } };
  }

  private join(component: number, member: Member): void {
    const members = this.subpopulations[component];
    members.push(member);
    if (members.length > this.populationSize) members.shift();
  }

  private standing(member: Member): number {
    return this.scale.standing(member.credit, member.transferred);
  }

  /** The member with the highest credit (the oldest on ties). */
  private best(members: readonly Member[]): Member {
    let best = members[0];
    for (const member of members) if (this.standing(member) > this.standing(best)) best = member;
    return best;
  }

  private tournament(members: readonly Member[]): Member {
    const { rng } = this.context;
    let parent = members[rng.int(members.length)];
    for (let i = 1; i < this.sampleSize; i++) {
      const contender = members[rng.int(members.length)];
      if (this.standing(contender) > this.standing(parent)) parent = contender;
    }
    return parent;
  }

  /** The parent's values with one of the component's decisions changed (or each resampled with `mutationProbability`). */
  private mutate(values: readonly number[], component: DecisionGroup): number[] {
    const { space, rng } = this.context;
    const next = values.slice();
    const choices = component.decisions.map((i) => space.decisions[i].choices.length);
    const probability = this.options.mutationProbability;
    if (probability !== undefined) {
      choices.forEach((n, k) => {
        if (rng.next() < probability) next[k] = rng.int(n);
      });
      return next;
    }
    const mutable = choices.map((n, k) => (n > 1 ? k : -1)).filter((k) => k >= 0);
    if (mutable.length === 0) return next;
    const k = rng.choice(mutable);
    next[k] = (next[k] + 1 + rng.int(choices[k] - 1)) % choices[k];
    return next;
  }
}

/** A member's credit after a collaboration it took part in: the best so far, counted from this run's first once it was transferred. */
function credit(member: Member, fitness: number): void {
  if (member.transferred) {
    member.transferred = false;
    member.credit = fitness;
  } else {
    member.credit = Math.max(member.credit, fitness);
  }
}

export const cooperativeCoevolution: StrategyDefinition<CooperativeCoevolutionOptions> = {
  type: 'cooperative-coevolution',
  title: 'Cooperative co-evolution',
  description:
    'One subpopulation per part of the architecture (NB201 edge, OFA stage, layer block), each evolved by aging evolution; a candidate part is scored together with the best parts of the others (Potter & De Jong).',
  optionsSchema: {
    type: 'object',
    properties: {
      components: {
        type: 'array',
        minItems: 1,
        maxItems: 1000,
        items: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 200 } },
        description: 'Decision names per component, every decision in exactly one. Default: the space\'s parts (NB201 edges, OFA stages and the resolution, layer blocks).',
      },
      population: { type: 'integer', minimum: 1, maximum: 10000, default: 10, description: 'Members kept alive per component; the first this many proposals are random architectures.' },
      sampleSize: { type: 'integer', minimum: 1, maximum: 10000, default: 3, description: 'Tournament size within a subpopulation (at most population).' },
      randomCollaborators: {
        type: 'number',
        minimum: 0,
        maximum: 1,
        default: 0.1,
        description: 'Probability that a candidate is evaluated with random members of the other subpopulations instead of their best.',
      },
      mutationProbability: {
        type: 'number',
        exclusiveMinimum: 0,
        maximum: 1,
        description: "Per-decision resampling probability within the component. Omit to change exactly one of the component's decisions.",
      },
    },
    additionalProperties: false,
  },
  multiObjective: false,
  priorShapes: 'its subpopulations',
  check(options, { space }) {
    const population = options.population ?? 10;
    const sampleSize = options.sampleSize ?? 3;
    return [
      ...(sampleSize > population ? [new SpecError(`sampleSize ${sampleSize} is larger than the population of ${population}`, ['sampleSize'])] : []),
      ...(options.components && space ? componentProblems(space, options.components) : []),
    ];
  },
  create: (options, context) => new CooperativeCoevolution(context, options),
};
