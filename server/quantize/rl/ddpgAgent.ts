import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/rng';
import { Adam, type AdamState } from './adam';
import { Actor, Critic } from './dense';
import { ReplayMemory, type ReplayMemoryState } from './replayMemory';
import { truncatedNormal } from './truncatedNormal';

/** The reference's DDPG settings (rl_quantize.py arguments). */
export interface DdpgConfig {
  readonly hidden1: number;
  readonly hidden2: number;
  readonly actorLearningRate: number;
  readonly criticLearningRate: number;
  /** Episodes 0..warmup act at random and do not train the agent. */
  readonly warmup: number;
  readonly discount: number;
  readonly batchSize: number;
  /** Replay memory entries per quantizable layer. */
  readonly memoryPerLayer: number;
  readonly tau: number;
  /** Exploration: truncated normal noise of sigma * decay^(episode - warmup). */
  readonly sigma: number;
  readonly sigmaDecay: number;
}

export const DDPG_DEFAULTS: DdpgConfig = {
  hidden1: 300,
  hidden2: 300,
  actorLearningRate: 1e-4,
  criticLearningRate: 1e-3,
  warmup: 20,
  discount: 1,
  batchSize: 64,
  memoryPerLayer: 128,
  tau: 0.01,
  sigma: 0.5,
  sigmaDecay: 0.99,
};

/** Everything the agent continues from (its random stream aside, which its owner saves): networks, optimizers, memory, reward baseline. */
export interface DdpgState {
  readonly actor: Float32Array[];
  readonly actorTarget: Float32Array[];
  readonly critic: Float32Array[];
  readonly criticTarget: Float32Array[];
  readonly actorOptimizer: AdamState;
  readonly criticOptimizer: AdamState;
  readonly memory: ReplayMemoryState;
  readonly movingAverage: number | null;
}

/** Weight of the newest batch in the reward baseline (the reference's moving_alpha). */
const MOVING_ALPHA = 0.5;

/**
 * HAQ's DDPG agent (mit-han-lab/haq lib/rl/ddpg.py) on TensorFlow.js: an actor and a critic of
 * two hidden layers with target copies updated softly, a replay memory, rewards centred on a
 * moving average of batch means, and exploration by a truncated normal around the actor's action
 * whose sigma decays every episode.
 */
export class DdpgAgent {
  private readonly actor: Actor;
  private readonly actorTarget: Actor;
  private readonly critic: Critic;
  private readonly criticTarget: Critic;
  private readonly actorOptimizer: Adam;
  private readonly criticOptimizer: Adam;
  private memory: ReplayMemory;
  private movingAverage: number | null = null;

  constructor(
    readonly config: DdpgConfig,
    readonly states: number,
    layers: number,
    private readonly rng: Rng,
  ) {
    const init = rng.fork('init');
    this.actor = new Actor(states, config.hidden1, config.hidden2, init);
    this.actorTarget = new Actor(states, config.hidden1, config.hidden2, init);
    this.critic = new Critic(states, config.hidden1, config.hidden2, init);
    this.criticTarget = new Critic(states, config.hidden1, config.hidden2, init);
    this.actorTarget.blendFrom(this.actor, 1);
    this.criticTarget.blendFrom(this.critic, 1);
    this.actorOptimizer = new Adam(this.actor.variables, config.actorLearningRate);
    this.criticOptimizer = new Adam(this.critic.variables, config.criticLearningRate);
    this.memory = new ReplayMemory(config.memoryPerLayer * layers);
  }

  /** Uniform in [0, 1]: the warm-up episodes' actions. */
  randomAction(): number {
    return this.rng.next();
  }

  /** The exploration sigma of an episode. */
  sigma(episode: number): number {
    return this.config.sigma * this.config.sigmaDecay ** (episode - this.config.warmup);
  }

  /** The actor's action for `observation`, perturbed by truncated normal noise and kept in [0, 1]. */
  selectAction(observation: Float32Array, episode: number): number {
    const mean = tf.tidy(() => this.actor.apply(tf.tensor2d(observation, [1, this.states])).dataSync()[0]);
    return truncatedNormal(this.rng, mean, this.sigma(episode), 0, 1);
  }

  /** Stores one step of an episode (the reference gives every step the episode's final reward). */
  observe(reward: number, observation: Float32Array, action: number, terminal: boolean): void {
    this.memory.append(observation, action, reward, terminal);
  }

  /** One critic step on a sampled batch, one actor step against the updated critic, then the targets follow. */
  update(): void {
    const batch = this.memory.sample(this.rng, this.config.batchSize);
    const mean = batch.rewards.reduce((s, r) => s + r, 0) / batch.rewards.length;
    this.movingAverage = this.movingAverage === null ? mean : this.movingAverage + MOVING_ALPHA * (mean - this.movingAverage);
    const baseline = this.movingAverage;
    const n = batch.rewards.length;
    tf.tidy(() => {
      const flat = (rows: Float32Array[]) => {
        const out = new Float32Array(rows.length * this.states);
        rows.forEach((r, i) => out.set(r, i * this.states));
        return tf.tensor2d(out, [rows.length, this.states]);
      };
      const state0 = flat(batch.state0);
      const state1 = flat(batch.state1);
      const actions = tf.tensor2d(batch.actions, [n, 1]);
      const rewards = tf.tensor2d(batch.rewards.map((r) => r - baseline), [n, 1]);
      const notTerminal = tf.tensor2d(batch.notTerminal, [n, 1]);
      const nextQ = this.criticTarget.apply(state1, this.actorTarget.apply(state1));
      const targetQ = rewards.add(nextQ.mul(notTerminal).mul(this.config.discount));
      const critic = tf.variableGrads(() => tf.losses.meanSquaredError(targetQ, this.critic.apply(state0, actions)) as tf.Scalar, this.critic.variables);
      this.criticOptimizer.apply(this.critic.variables.map((v) => critic.grads[v.name]));
      const actor = tf.variableGrads(() => this.critic.apply(state0, this.actor.apply(state0)).mean().neg() as tf.Scalar, this.actor.variables);
      this.actorOptimizer.apply(this.actor.variables.map((v) => actor.grads[v.name]));
    });
    this.actorTarget.blendFrom(this.actor, this.config.tau);
    this.criticTarget.blendFrom(this.critic, this.config.tau);
  }

  state(): DdpgState {
    return {
      actor: this.actor.weights(),
      actorTarget: this.actorTarget.weights(),
      critic: this.critic.weights(),
      criticTarget: this.criticTarget.weights(),
      actorOptimizer: this.actorOptimizer.state(),
      criticOptimizer: this.criticOptimizer.state(),
      memory: this.memory.state(),
      movingAverage: this.movingAverage,
    };
  }

  setState(state: DdpgState): void {
    this.actor.setWeights(state.actor);
    this.actorTarget.setWeights(state.actorTarget);
    this.critic.setWeights(state.critic);
    this.criticTarget.setWeights(state.criticTarget);
    this.actorOptimizer.setState(state.actorOptimizer);
    this.criticOptimizer.setState(state.criticOptimizer);
    this.memory = ReplayMemory.restore(state.memory);
    this.movingAverage = state.movingAverage;
  }

  dispose(): void {
    for (const network of [this.actor, this.actorTarget, this.critic, this.criticTarget]) network.dispose();
    this.actorOptimizer.dispose();
    this.criticOptimizer.dispose();
  }
}
