import type { Genome } from '../core/searchSpace';
import type { Observation, Strategy, StrategyContext, StrategyDefinition, TransferredObservation } from '../core/strategy';
import { IncrementalRidge } from '../predictors/ridge';
import { BestSubset } from './bestSubset';
import { BinaryHeap } from './binaryHeap';
import { primaryFitness } from './fitness';
import { oneEditNeighbours } from './oneEditNeighbours';
import { ProposalMemory } from './proposalMemory';
import { priorWeight, TransferScale } from './warmPrior';

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
  /** Position in tell order: among equal fitnesses the earlier architecture ranks first. */
  readonly order: number;
}

/** A predictor fitted on earlier runs' observations (a warm start's prior), and how fast its say fades. */
interface PriorPredictor {
  readonly model: IncrementalRidge;
  readonly halfLife: number;
}

interface Proposal {
  readonly climb: number;
  /** A random starting point rather than a step of the climb. */
  readonly start: boolean;
}

/** The predictor never trains on fewer than this many architectures (when that many exist). */
const MIN_TRAINING_SET = 5;

/**
 * Predictions this close (relative) are a tie, won by the earlier neighbour. With fewer training
 * architectures than features many neighbours predict the same value in exact arithmetic; the
 * tolerance makes the choice among them independent of floating-point rounding.
 */
const TIE_TOLERANCE = 1e-9;

const better = (a: Evaluated, b: Evaluated) => a.fitness > b.fitness || (a.fitness === b.fitness && a.order < b.order);

/**
 * Local search guided by a predictor. A climb starts from a few random architectures and
 * repeatedly evaluates one unevaluated neighbour (one decision changed) of its best member:
 * the neighbour a ridge-regression predictor on the space's encoding ranks highest. The
 * predictor is fitted on the best `trainFraction` of everything evaluated, so it models the top
 * of the landscape rather than the gap between dead and live networks. A climb that finds no
 * new best for `patience` evaluations, or has no unevaluated neighbour left, is abandoned for a
 * fresh one; the predictor keeps everything learned.
 *
 * Every step costs the same however many trials came before, so long runs and the replay of a
 * resumed run's journal stay fast: each evaluation moves at most two architectures in or out of
 * the predictor's training set (rank-one updates of the ridge model, never a refit), and a
 * climb member whose neighbourhood is used up is dropped for good (proposals only grow).
 *
 * A warm start's prior is a second ridge model, fitted the same way on the transferred
 * architectures' standardized scores. Neighbours are then ranked by w · prior + (1 − w) · this
 * run's prediction as a z-score, with w = halfLife / (halfLife + evaluations so far). An
 * architecture evaluated without being proposed (a warm start's top-k) starts the current climb.
 */
export class PredictorLocalSearch implements Strategy {
  private told = 0;
  /** Members of the current climb, best first, without those whose neighbours are all proposed. */
  private climbMembers = new BinaryHeap<Evaluated>(better);
  /** Fitness of the current climb's best member; undefined until one is told. */
  private climbBest: number | undefined;
  private readonly proposalsByKey = new Map<string, Proposal>();
  private readonly proposals: ProposalMemory;
  private readonly predictor: IncrementalRidge;
  /** The predictor's training set: the best `trainFraction` of the finite evaluations. */
  private readonly trainingSet: BestSubset<Evaluated>;
  private climb = 0;
  private startsToPropose: number;
  private sinceImprovement = 0;
  private priorPredictor: PriorPredictor | undefined;
  /** This run's fitnesses, to put predictions on the prior's scale. */
  private readonly scale = new TransferScale();
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
    const { space } = context;
    const features = space.encode(space.decisions.map(() => 0)).length;
    this.predictor = new IncrementalRidge(features, options.ridgeLambda ?? 1);
    this.trainingSet = this.bestSubsetOf(this.predictor);
    this.proposals = new ProposalMemory(space);
  }

  /** Fits the prior predictor on the transferred architectures, as this run's predictor is fitted on its own. */
  prior(observations: readonly TransferredObservation[], halfLife: number): void {
    const { space } = this.context;
    const model = new IncrementalRidge(this.predictor.dimension, this.predictor.lambda);
    const subset = this.bestSubsetOf(model);
    observations.forEach((o, order) => {
      if (Number.isFinite(o.score)) subset.add({ genome: o.genome, encoding: space.encode(o.genome), fitness: o.score, order });
    });
    if (model.size > 0) this.priorPredictor = { model, halfLife };
  }

  ask(): Genome {
    if (this.startsToPropose === 0) {
      const step = this.climbStep();
      if (step) return this.propose(step, false);
      // Every member's neighbourhood is evaluated (or still pending): start over elsewhere.
      if (this.climbBest !== undefined) this.restart();
    }
    this.startsToPropose = Math.max(0, this.startsToPropose - 1);
    const { space, rng } = this.context;
    return this.propose(this.proposals.drawNew(() => space.sample(rng)), true);
  }

  tell(genome: Genome, observation: Observation): void {
    const { space } = this.context;
    this.proposals.remember(genome);
    const entry: Evaluated = { genome, encoding: space.encode(genome), fitness: primaryFitness(observation), order: this.told++ };
    this.scale.add(entry.fitness);
    if (Number.isFinite(entry.fitness)) this.trainingSet.add(entry);
    const proposal = this.proposalsByKey.get(space.key(genome)) ?? this.startFromElsewhere();
    if (proposal?.climb !== this.climb) return;
    const improved = this.climbBest === undefined || entry.fitness > this.climbBest;
    if (improved) this.climbBest = entry.fitness;
    this.climbMembers.push(entry);
    if (proposal.start) return;
    this.sinceImprovement = improved ? 0 : this.sinceImprovement + 1;
    if (this.sinceImprovement >= this.patience) this.restart();
  }

  /** The predicted-best unproposed neighbour of the best climb member that has one. */
  private climbStep(): Genome | undefined {
    const { space } = this.context;
    for (let member = this.climbMembers.peek(); member; member = this.climbMembers.peek()) {
      const candidates = oneEditNeighbours(space, member.genome).filter((g) => !this.proposals.has(g));
      if (candidates.length === 0) {
        this.climbMembers.pop(); // used up for good: proposals are never forgotten
        continue;
      }
      let best = candidates[0];
      let bestScore = this.rank(best);
      for (const candidate of candidates.slice(1)) {
        const score = this.rank(candidate);
        if (score > bestScore + TIE_TOLERANCE * Math.max(1, Math.abs(bestScore))) {
          bestScore = score;
          best = candidate;
        }
      }
      return this.proposals.remember(best);
    }
    return undefined;
  }

  /** The predicted quality of a candidate: this run's predictor, mixed with the prior's while it has a say. */
  private rank(genome: Genome): number {
    const encoding = this.context.space.encode(genome);
    const own = this.predictor.predict(encoding);
    if (!this.priorPredictor) return own;
    const w = priorWeight(this.priorPredictor.halfLife, this.told);
    return w * this.priorPredictor.model.predict(encoding) + (1 - w) * this.scale.score(own);
  }

  /** An architecture evaluated without being proposed (a warm start's top-k): one of the current climb's starts. */
  private startFromElsewhere(): Proposal {
    this.startsToPropose = Math.max(0, this.startsToPropose - 1);
    return { climb: this.climb, start: true };
  }

  /** The best `trainFraction` of what `model` learns from (never fewer than MIN_TRAINING_SET), kept in it. */
  private bestSubsetOf(model: IncrementalRidge): BestSubset<Evaluated> {
    return new BestSubset<Evaluated>(
      better,
      (total) => Math.min(total, Math.max(MIN_TRAINING_SET, Math.floor(total * this.trainFraction))),
      {
        entered: (e) => model.add(e.encoding, e.fitness),
        left: (e) => model.remove(e.encoding, e.fitness),
      },
    );
  }

  private propose(genome: Genome, start: boolean): Genome {
    this.proposalsByKey.set(this.context.space.key(genome), { climb: this.climb, start });
    return genome;
  }

  private restart(): void {
    this.climb++;
    this.climbMembers = new BinaryHeap<Evaluated>(better);
    this.climbBest = undefined;
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
  priorShapes: 'its predictor',
  create: (options, context) => new PredictorLocalSearch(context, options),
};
