import type { ArchJson } from '../../contract/architecture';
import type { Rng } from './rng';

/** One categorical choice of a search space (e.g. the operation on an edge, a kernel size). */
export interface Decision {
  readonly name: string;
  readonly choices: readonly (string | number)[];
}

/** An architecture as the index of the chosen option for every decision, in `decisions` order. */
export type Genome = readonly number[];

/** Decisions that together make one part of an architecture (a cell edge, a network stage, a layer block). */
export interface DecisionGroup {
  readonly name: string;
  /** Indices into the space's `decisions`. */
  readonly decisions: readonly number[];
}


/**
 * A search space: a fixed list of categorical decisions plus the operators strategies use.
 * Spaces with conditional decisions (e.g. kernel sizes of skipped OFA blocks) make `key`
 * canonical so that equivalent genomes compare equal.
 */
export interface SearchSpace {
  readonly id: string;
  readonly decisions: readonly Decision[];
  sample(rng: Rng): Genome;
  /**
   * Without `probability`: change exactly one decision to a different option (the
   * regularized-evolution mutation). With it: resample each decision with that probability.
   */
  mutate(genome: Genome, rng: Rng, probability?: number): Genome;
  crossover(a: Genome, b: Genome, rng: Rng): Genome;
  /** Canonical string; equal for equivalent architectures. */
  key(genome: Genome): string;
  /** Feature vector for predictors. */
  encode(genome: Genome): Float32Array;
  toArch(genome: Genome): ArchJson;
  /** Parse an architecture from JSON (result files, user input); throws SpecError on bad input. */
  fromArch(arch: unknown): Genome;
  /** Short one-line description for tables and logs. */
  describe(genome: Genome): string;
  /** Number of distinct canonical architectures (Infinity when too large to matter). */
  readonly cardinality: number;
  /**
   * The architecture's natural parts, which together hold every decision once (cooperative
   * co-evolution evolves one subpopulation per part). Absent: every decision is a part.
   */
  readonly components?: readonly DecisionGroup[];
}

/**
 * Shared operators for spaces whose decisions are independent categorical choices.
 * Subclasses provide ids, decisions, encodings and JSON forms; they may override operators.
 */
export abstract class CategoricalSpace implements SearchSpace {
  abstract readonly id: string;
  abstract readonly decisions: readonly Decision[];

  sample(rng: Rng): Genome {
    return this.decisions.map((d) => rng.int(d.choices.length));
  }

  mutate(genome: Genome, rng: Rng, probability?: number): Genome {
    const next = genome.slice();
    if (probability === undefined) {
      const mutable = this.decisions.map((d, i) => (d.choices.length > 1 ? i : -1)).filter((i) => i >= 0);
      if (mutable.length === 0) return next;
      const i = rng.choice(mutable);
      const n = this.decisions[i].choices.length;
      next[i] = (next[i] + 1 + rng.int(n - 1)) % n;
      return next;
    }
    for (let i = 0; i < next.length; i++) {
      if (rng.next() < probability) next[i] = rng.int(this.decisions[i].choices.length);
    }
    return next;
  }

  crossover(a: Genome, b: Genome, rng: Rng): Genome {
    return a.map((gene, i) => (rng.next() < 0.5 ? gene : b[i]));
  }

  key(genome: Genome): string {
    return genome.join('');
  }

  get cardinality(): number {
    return this.decisions.reduce((n, d) => n * d.choices.length, 1);
  }

  abstract encode(genome: Genome): Float32Array;
  abstract toArch(genome: Genome): ArchJson;
  abstract fromArch(arch: unknown): Genome;
  abstract describe(genome: Genome): string;
}

/** One-hot encoding of every decision, concatenated. */
export function oneHot(space: SearchSpace, genome: Genome): Float32Array {
  const size = space.decisions.reduce((n, d) => n + d.choices.length, 0);
  const out = new Float32Array(size);
  let offset = 0;
  space.decisions.forEach((d, i) => {
    out[offset + genome[i]] = 1;
    offset += d.choices.length;
  });
  return out;
}

/** A selectable search space: its spec `type`, documentation, option schema and factory. */
export interface SpaceDefinition<Options = Record<string, unknown>> {
  readonly type: string;
  readonly title: string;
  readonly description: string;
  readonly optionsSchema: import('./jsonSchema').JsonSchema;
  /** Throws SpecError (path relative to the options object) for impossible options. */
  create(options: Options): SearchSpace;
}
