import type { Genome } from '../core/searchSpace';
import type { Observation, Strategy, StrategyContext, StrategyDefinition, TransferredObservation } from '../core/strategy';
import {
  mostProbableGenome,
  sampleGenome,
  uniformProbabilities,
  type DecisionProbabilities,
} from './categoricalDistribution';
import { primaryFitness } from './fitness';
import { ProposalMemory } from './proposalMemory';
import { priorWeight } from './warmPrior';

export interface MdenasOptions {
  /** Probability moved per won or lost pairwise comparison (the paper's alpha). */
  learningRate?: number;
}

/**
 * The MDENAS update of one decision (Zheng et al. 2019, arXiv 1905.07529, Sec. 3.2): an
 * option selected fewer times than another but with a higher accuracy gains `alpha` per such
 * rival; one selected more often but with a lower accuracy loses `alpha` per rival:
 *
 *   p_i += alpha * ( #{j : He_i < He_j and Ha_i > Ha_j} - #{j : He_i > He_j and Ha_i < Ha_j} )
 *
 * Every comparison moves mass from one option to another, so the sum stays 1; when an entry
 * would turn negative the vector is shifted by its minimum and renormalized.
 */
export function mdenasUpdate(
  probabilities: readonly number[],
  selections: readonly number[],
  accuracies: readonly number[],
  alpha: number,
): number[] {
  const next = probabilities.map((p, i) => {
    let wins = 0;
    let losses = 0;
    for (let j = 0; j < probabilities.length; j++) {
      if (selections[i] < selections[j] && accuracies[i] > accuracies[j]) wins++;
      if (selections[i] > selections[j] && accuracies[i] < accuracies[j]) losses++;
    }
    return p + alpha * (wins - losses);
  });
  const min = Math.min(...next);
  if (min >= 0) return next;
  const shifted = next.map((p) => p - min);
  const sum = shifted.reduce((a, b) => a + b, 0);
  return sum > 0 ? shifted.map((p) => p / sum) : probabilities.map(() => 1 / probabilities.length);
}

/** The per-decision statistics MDENAS learns from and the distribution they shape. */
class MdenasModel {
  probabilities: DecisionProbabilities;
  private readonly selections: number[][];
  private readonly accuracies: number[][];

  constructor(
    decisions: StrategyContext['space']['decisions'],
    private readonly learningRate: number,
  ) {
    this.probabilities = uniformProbabilities(decisions);
    this.selections = decisions.map((d) => new Array<number>(d.choices.length).fill(0));
    this.accuracies = decisions.map((d) => new Array<number>(d.choices.length).fill(-Infinity));
  }

  learn(genome: Genome, accuracy: number): void {
    genome.forEach((option, i) => {
      this.selections[i][option]++;
      this.accuracies[i][option] = accuracy;
    });
    this.probabilities = this.probabilities.map((p, i) => mdenasUpdate(p, this.selections[i], this.accuracies[i], this.learningRate));
  }
}

/**
 * Multinomial distribution learning. Every evaluation plays the role of one training epoch
 * of the paper: the sampled options of each decision get one more selection (He) and the
 * architecture's accuracy as their latest accuracy (Ha); then every decision's distribution
 * is updated with `mdenasUpdate`. Options never sampled have no accuracy and win or lose
 * nothing. Proposals are drawn from the distribution, skipping architectures already proposed.
 *
 * A warm start's prior is a second distribution learned the same way from the transferred
 * architectures (their standardized scores as accuracies); proposals are drawn from the mixture
 * w · prior + (1 − w) · this run's, with w = halfLife / (halfLife + evaluations so far).
 */
export class Mdenas implements Strategy {
  private readonly own: MdenasModel;
  private priorModel: { readonly model: MdenasModel; readonly halfLife: number } | undefined;
  private told = 0;
  private readonly proposals: ProposalMemory;
  readonly learningRate: number;

  constructor(
    private readonly context: StrategyContext,
    options: MdenasOptions = {},
  ) {
    this.learningRate = options.learningRate ?? 0.01;
    this.own = new MdenasModel(context.space.decisions, this.learningRate);
    this.proposals = new ProposalMemory(context.space);
  }

  /** The distribution proposals are drawn from: one probability vector per decision. */
  distribution(): DecisionProbabilities {
    if (!this.priorModel) return this.own.probabilities.map((p) => p.slice());
    const w = priorWeight(this.priorModel.halfLife, this.told);
    const prior = this.priorModel.model.probabilities;
    return this.own.probabilities.map((p, i) => p.map((q, c) => w * prior[i][c] + (1 - w) * q));
  }

  ask(): Genome {
    const distribution = this.priorModel ? this.distribution() : this.own.probabilities;
    return this.proposals.drawNew(() => sampleGenome(distribution, this.context.rng));
  }

  tell(genome: Genome, observation: Observation): void {
    this.proposals.remember(genome);
    this.told++;
    this.own.learn(genome, primaryFitness(observation));
  }

  prior(observations: readonly TransferredObservation[], halfLife: number): void {
    if (observations.length === 0) return;
    const model = new MdenasModel(this.context.space.decisions, this.learningRate);
    for (const o of observations) model.learn(o.genome, o.score);
    this.priorModel = { model, halfLife };
  }

  recommend(): Genome[] {
    return [mostProbableGenome(this.distribution())];
  }
}

export const mdenas: StrategyDefinition<MdenasOptions> = {
  type: 'mdenas',
  title: 'MDENAS',
  description:
    'Multinomial distribution learning (Zheng et al. 2019): per-decision option probabilities, updated from how often each option was selected and how well it scored.',
  optionsSchema: {
    type: 'object',
    properties: {
      learningRate: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.01, description: 'Probability moved per pairwise comparison won or lost (alpha).' },
    },
    additionalProperties: false,
  },
  multiObjective: false,
  priorShapes: 'its distribution',
  create: (options, context) => new Mdenas(context, options),
};
