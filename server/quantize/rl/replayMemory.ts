import type { Rng } from '../../core/rng';

/** One stored step: in `observation`, the agent took `action`, got `reward`; `terminal` ends an episode. */
interface Entry {
  readonly observation: Float32Array;
  readonly action: number;
  readonly reward: number;
  readonly terminal: boolean;
}

/** A sampled batch, one row per transition (state1 is the observation stored after state0). */
export interface TransitionBatch {
  readonly state0: Float32Array[];
  readonly actions: number[];
  readonly rewards: number[];
  readonly state1: Float32Array[];
  /** 0 where the transition ended its episode, else 1. */
  readonly notTerminal: number[];
}

/** What a checkpoint keeps of the memory (oldest entry first). */
export interface ReplayMemoryState {
  readonly limit: number;
  readonly entries: readonly { readonly observation: number[]; readonly action: number; readonly reward: number; readonly terminal: boolean }[];
}

/**
 * keras-rl's SequentialMemory with window length 1, as the reference uses it (mit-han-lab/haq
 * lib/rl/memory.py): a ring buffer of (observation, action, reward, terminal); transition i goes
 * from observation i to observation i + 1, so the entry after an episode's last step (the
 * reference appends one after every episode) only serves as that step's next state, and
 * transitions that would start on it are redrawn.
 */
export class ReplayMemory {
  private entries: Entry[] = [];

  constructor(readonly limit: number) {}

  get size(): number {
    return this.entries.length;
  }

  append(observation: Float32Array, action: number, reward: number, terminal: boolean): void {
    this.entries.push({ observation, action, reward, terminal });
    if (this.entries.length > this.limit) this.entries.shift();
  }

  /** Distinct indices in [low, high) when there are enough, else independent draws (sample_batch_indexes). */
  private static indexes(rng: Rng, low: number, high: number, size: number): number[] {
    if (high - low >= size) return rng.sampleIndices(high - low, size).map((i) => i + low);
    return Array.from({ length: size }, () => low + rng.int(high - low));
  }

  sample(rng: Rng, batchSize: number): TransitionBatch {
    const n = this.entries.length;
    if (n < 2) throw new Error('the replay memory needs two entries to sample a transition');
    const batch: TransitionBatch = { state0: [], actions: [], rewards: [], state1: [], notTerminal: [] };
    for (let idx of ReplayMemory.indexes(rng, 0, n - 1, batchSize).map((i) => i + 1)) {
      // The transition starting at idx - 1 follows a terminal entry: that entry began no real step.
      while (idx >= 2 && this.entries[idx - 2].terminal) idx = ReplayMemory.indexes(rng, 1, n, 1)[0];
      const entry = this.entries[idx - 1];
      batch.state0.push(entry.observation);
      batch.actions.push(entry.action);
      batch.rewards.push(entry.reward);
      batch.state1.push(this.entries[idx].observation);
      batch.notTerminal.push(entry.terminal ? 0 : 1);
    }
    return batch;
  }

  state(): ReplayMemoryState {
    return { limit: this.limit, entries: this.entries.map((e) => ({ ...e, observation: Array.from(e.observation) })) };
  }

  static restore(state: ReplayMemoryState): ReplayMemory {
    const memory = new ReplayMemory(state.limit);
    memory.entries = state.entries.map((e) => ({ ...e, observation: Float32Array.from(e.observation) }));
    return memory;
  }
}
