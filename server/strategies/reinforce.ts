import type { Genome } from '../core/searchSpace';
import type { Observation, Strategy, StrategyContext, StrategyDefinition, TransferredObservation } from '../core/strategy';
import { mostProbableGenome, sampleGenome, type DecisionProbabilities } from './categoricalDistribution';
import { primaryFitness } from './fitness';
import { ProposalMemory } from './proposalMemory';
import { priorWeight } from './warmPrior';

export interface ReinforceOptions {
  /** Step size of the policy-gradient ascent on the per-decision logits. */
  learningRate?: number;
  /** Momentum of the exponential moving average of rewards used as the baseline. */
  baselineMomentum?: number;
}

function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const exp = logits.map((l) => Math.exp(l - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.map((e) => e / sum);
}

/** Per-decision logits trained by REINFORCE with a moving-average baseline. */
class PolicyLogits {
  readonly logits: number[][];
  private baseline: number | undefined;
  private rewardCount = 0;
  private rewardMean = 0;
  private rewardSquares = 0;
  private worstReward = Infinity;

  constructor(
    decisions: StrategyContext['space']['decisions'],
    private readonly learningRate: number,
    private readonly baselineMomentum: number,
  ) {
    this.logits = decisions.map((d) => new Array<number>(d.choices.length).fill(0));
  }

  /** One policy-gradient step for `genome` with reward `fitness`, taken under `policy` (the distribution it was drawn from). */
  learn(genome: Genome, fitness: number, policy: DecisionProbabilities): void {
    // An infeasible architecture is rewarded like the worst one seen: the policy moves away from it.
    const reward = Number.isFinite(fitness) ? fitness : this.worstReward;
    if (!Number.isFinite(reward)) return;
    this.worstReward = Math.min(this.worstReward, reward);
    this.recordReward(reward);

    const baseline = this.baseline ?? reward;
    const spread = Math.sqrt(this.rewardSquares / this.rewardCount);
    const advantage = spread > 0 ? (reward - baseline) / spread : 0;
    this.baseline = this.baselineMomentum * baseline + (1 - this.baselineMomentum) * reward;
    if (advantage === 0) return;

    this.logits.forEach((logits, i) => {
      for (let c = 0; c < logits.length; c++) {
        const gradLogProbability = (c === genome[i] ? 1 : 0) - policy[i][c];
        logits[c] += this.learningRate * advantage * gradLogProbability;
      }
    });
  }

  /** Welford's running variance of the rewards. */
  private recordReward(reward: number): void {
    this.rewardCount++;
    const delta = reward - this.rewardMean;
    this.rewardMean += delta / this.rewardCount;
    this.rewardSquares += delta * (reward - this.rewardMean);
  }
}

/**
 * REINFORCE (Williams 1992) on an independent softmax policy per decision, with an
 * exponential-moving-average reward baseline, as in the NAS-Bench-201 baselines. Advantages
 * are divided by the standard deviation of the rewards seen so far, so the learning rate
 * does not depend on the metric's units (accuracy in % or as a fraction, milliseconds, ...).
 *
 * A warm start's prior is a second set of logits trained the same way on the transferred
 * architectures (their standardized scores as rewards); the policy is softmax(own + w · prior),
 * with w = halfLife / (halfLife + evaluations so far), and this run's gradient is taken under
 * that policy, the one it samples from.
 */
export class Reinforce implements Strategy {
  private readonly own: PolicyLogits;
  private priorLogits: { readonly logits: readonly (readonly number[])[]; readonly halfLife: number } | undefined;
  private told = 0;
  private readonly proposals: ProposalMemory;
  readonly learningRate: number;
  readonly baselineMomentum: number;

  constructor(
    private readonly context: StrategyContext,
    options: ReinforceOptions = {},
  ) {
    this.learningRate = options.learningRate ?? 0.1;
    this.baselineMomentum = options.baselineMomentum ?? 0.9;
    this.own = new PolicyLogits(context.space.decisions, this.learningRate, this.baselineMomentum);
    this.proposals = new ProposalMemory(context.space);
  }

  /** Current policy: one probability vector per decision. */
  probabilities(): DecisionProbabilities {
    if (!this.priorLogits) return this.own.logits.map(softmax);
    const w = priorWeight(this.priorLogits.halfLife, this.told);
    const prior = this.priorLogits.logits;
    return this.own.logits.map((logits, i) => softmax(logits.map((l, c) => l + w * prior[i][c])));
  }

  ask(): Genome {
    const policy = this.probabilities();
    return this.proposals.drawNew(() => sampleGenome(policy, this.context.rng));
  }

  tell(genome: Genome, observation: Observation): void {
    this.proposals.remember(genome);
    const policy = this.probabilities();
    this.told++;
    this.own.learn(genome, primaryFitness(observation), policy);
  }

  prior(observations: readonly TransferredObservation[], halfLife: number): void {
    if (observations.length === 0) return;
    const prior = new PolicyLogits(this.context.space.decisions, this.learningRate, this.baselineMomentum);
    for (const o of observations) prior.learn(o.genome, o.score, prior.logits.map(softmax));
    this.priorLogits = { logits: prior.logits, halfLife };
  }

  recommend(): Genome[] {
    return [mostProbableGenome(this.probabilities())];
  }
}

export const reinforce: StrategyDefinition<ReinforceOptions> = {
  type: 'reinforce',
  title: 'REINFORCE',
  description:
    'Policy gradient on an independent softmax distribution per decision, with a moving-average reward baseline (the NAS-Bench-201 RL baseline).',
  optionsSchema: {
    type: 'object',
    properties: {
      learningRate: { type: 'number', exclusiveMinimum: 0, maximum: 100, default: 0.1, description: 'Policy-gradient step size on the logits (advantages are normalized by the reward standard deviation).' },
      baselineMomentum: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0.9, description: 'Momentum of the moving-average reward baseline.' },
    },
    additionalProperties: false,
  },
  multiObjective: false,
  priorShapes: 'its policy',
  create: (options, context) => new Reinforce(context, options),
};
