import type { Genome } from '../core/searchSpace';
import type { Strategy, StrategyContext, StrategyDefinition } from '../core/strategy';

/** Uniform sampling without repeats (until the space is exhausted): the baseline every NAS paper reports. */
class RandomSearch implements Strategy {
  private readonly seen = new Set<string>();

  constructor(private readonly context: StrategyContext) {}

  ask(): Genome {
    const { space, rng } = this.context;
    const exhausted = this.seen.size >= space.cardinality;
    for (let attempt = 0; attempt < 1000; attempt++) {
      const genome = space.sample(rng);
      const key = space.key(genome);
      if (exhausted || !this.seen.has(key)) {
        this.seen.add(key);
        return genome;
      }
    }
    return space.sample(rng);
  }

  /** Random search ignores results; an architecture evaluated without being asked for (a warm start's top-k) is not proposed again. */
  tell(genome: Genome): void {
    this.seen.add(this.context.space.key(genome));
  }
}

export const randomSearch: StrategyDefinition = {
  type: 'random',
  title: 'Random search',
  description: 'Uniform sampling of the search space without repeats. The baseline to beat.',
  optionsSchema: { type: 'object', properties: {} },
  multiObjective: false,
  create: (_options, context) => new RandomSearch(context),
};
