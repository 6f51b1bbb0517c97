import type { Genome } from '../core/searchSpace';
import type { Observation, Strategy, StrategyContext, StrategyDefinition } from '../core/strategy';
import { RidgeRegression } from '../predictors/ridge';
import { primaryFitness } from './fitness';
import { oneEditNeighbours } from './neighbourhood';
import { ProposalMemory } from './proposalMemory';

export interface PredictorLocalSearchOptions {
  /** Random architectures the first climb starts from. */
  initialSamples?: number;
  /** Random architectures each later climb starts from. */
  restartSamples?: number;
  /** Evaluations without a new best in the current climb before it is abandoned. */
  patience?: number;
  /** Fraction of the evaluated architectures (the best ones) the predictor is fitted on. */
  trainFraction?: number;
  /** L2 penalty of the ridge-regression predictor. */
  ridgeLambda?: number;
}

interface Evaluated {
  readonly genome: Genome;
  readonly encoding: Float32Array;
  readonly fitness: number;
}

interface Proposal {
  readonly climb: number;
  /** A random starting point rather than a step of the climb. */
  readonly start: boolean;
}

/** The predictor never trains on fewer than this many architectures (when that many exist). */
const MIN_TRAINING_SET = 5;

/**
 * Local search guided by a predictor. A climb starts from a few random architectures and
 * repeatedly evaluates one unevaluated neighbour (one decision changed) of its best member:
 * the neighbour a ridge-regression predictor on the space's encoding ranks highest. The
 * predictor is refitted after every evaluation on the best `trainFraction` of everything
 * evaluated, so it models the top of the landscape rather than the gap between dead and live
 * networks. A climb that finds no new best for `patience` evaluations, or has no unevaluated
 * neighbour left, is abandoned for a fresh one; the predictor keeps everything learned.
 */
export class PredictorLocalSearch implements Strategy {
  private readonly evaluated: Evaluated[] = [];
  /** Members of the current climb that have been told, best first. */
  private climbMembers: Evaluated[] = [];
  private readonly proposalsByKey = new Map<string, Proposal>();
  private readonly proposals: ProposalMemory;
  private readonly predictor: RidgeRegression;
  private predictorSize = -1;
  private climb = 0;
  private startsToPropose: number;
  private sinceImprovement = 0;
  readonly restartSamples: number;
  readonly patience: number;
  readonly trainFraction: number;

  constructor(
    private readonly context: StrategyContext,
    options: PredictorLocalSearchOptions = {},
  ) {
    this.startsToPropose = Math.max(1, options.initialSamples ?? 10);
    this.restartSamples = Math.max(1, options.restartSamples ?? 5);
    this.patience = Math.max(1, options.patience ?? 15);
    this.trainFraction = Math.min(1, Math.max(0, options.trainFraction ?? 0.5));
    this.predictor = new RidgeRegression(options.ridgeLambda ?? 1);
    this.proposals = new ProposalMemory(context.space);
  }

  ask(): Genome {
    if (this.startsToPropose === 0) {
      const step = this.climbStep();
      if (step) return this.propose(step, false);
      // Every member's neighbourhood is evaluated (or still pending): start over elsewhere.
      if (this.climbMembers.length > 0) this.restart();
    }
    this.startsToPropose = Math.max(0, this.startsToPropose - 1);
    const { space, rng } = this.context;
    return this.propose(this.proposals.drawNew(() => space.sample(rng)), true);
  }

  tell(genome: Genome, observation: Observation): void {
    const { space } = this.context;
    this.proposals.remember(genome);
    const entry: Evaluated = { genome, encoding: space.encode(genome), fitness: primaryFitness(observation) };
    this.evaluated.push(entry);
    const proposal = this.proposalsByKey.get(space.key(genome));
    if (proposal?.climb !== this.climb) return;
    const improved = this.climbMembers.length === 0 || entry.fitness > this.climbMembers[0].fitness;
    this.climbMembers.push(entry);
    this.climbMembers.sort((a, b) => b.fitness - a.fitness);
    if (proposal.start) return;
    this.sinceImprovement = improved ? 0 : this.sinceImprovement + 1;
    if (this.sinceImprovement >= this.patience) this.restart();
  }

  /** The predicted-best unproposed neighbour of the best climb member that has one. */
  private climbStep(): Genome | undefined {
    const { space } = this.context;
    for (const member of this.climbMembers) {
      const candidates = oneEditNeighbours(space, member.genome).filter((g) => !this.proposals.has(g));
      if (candidates.length === 0) continue;
      this.fitPredictor();
      let best = candidates[0];
      let bestScore = -Infinity;
      for (const candidate of candidates) {
        const score = this.predictor.predict(space.encode(candidate));
        if (score > bestScore) {
          bestScore = score;
          best = candidate;
        }
      }
      return this.proposals.remember(best);
    }
    return undefined;
  }

  private fitPredictor(): void {
    if (this.predictorSize === this.evaluated.length) return;
    this.predictorSize = this.evaluated.length;
    const finite = this.evaluated.filter((e) => Number.isFinite(e.fitness)).sort((a, b) => b.fitness - a.fitness);
    const kept = finite.slice(0, Math.max(MIN_TRAINING_SET, Math.floor(finite.length * this.trainFraction)));
    this.predictor.fit(
      kept.map((e) => e.encoding),
      kept.map((e) => e.fitness),
    );
  }

  private propose(genome: Genome, start: boolean): Genome {
    this.proposalsByKey.set(this.context.space.key(genome), { climb: this.climb, start });
    return genome;
  }

  private restart(): void {
    this.climb++;
    this.climbMembers = [];
    this.startsToPropose = this.restartSamples;
    this.sinceImprovement = 0;
  }
}

export const predictorLocalSearch: StrategyDefinition<PredictorLocalSearchOptions> = {
  type: 'predictor-local-search',
  title: 'Predictor-guided local search',
  description:
    'Hill climbing in one-decision steps where a ridge-regression predictor on the space encoding picks which neighbour to evaluate next; restarts when a climb stalls. The most sample-efficient strategy on NAS-Bench-201.',
  optionsSchema: {
    type: 'object',
    properties: {
      initialSamples: { type: 'integer', minimum: 1, maximum: 10000, default: 10, description: 'Random architectures the first climb starts from.' },
      restartSamples: { type: 'integer', minimum: 1, maximum: 10000, default: 5, description: 'Random architectures each later climb starts from.' },
      patience: { type: 'integer', minimum: 1, maximum: 1000000, default: 15, description: 'Evaluations without a new best before a climb is abandoned.' },
      trainFraction: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.5, description: 'The predictor is fitted on this best fraction of the evaluated architectures.' },
      ridgeLambda: { type: 'number', exclusiveMinimum: 0, maximum: 1000000, default: 1, description: 'L2 penalty of the ridge-regression predictor.' },
    },
    additionalProperties: false,
  },
  multiObjective: false,
  create: (options, context) => new PredictorLocalSearch(context, options),
};
