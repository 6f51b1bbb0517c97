import type { Genome, SearchSpace } from '../core/searchSpace';

/** Draws tried before a strategy accepts proposing an architecture it has proposed before. */
export const NOVELTY_ATTEMPTS = 200;

/**
 * Keys of the architectures a strategy has proposed or been told about (a told architecture
 * need not come from this strategy's asks). An evaluation of a known architecture
 * teaches nothing on a deterministic benchmark and still costs budget, so strategies draw
 * until something is new, within a bounded number of attempts (the space may be exhausted).
 */
export class ProposalMemory {
  private readonly keys = new Set<string>();

  constructor(private readonly space: SearchSpace) {}

  has(genome: Genome): boolean {
    return this.keys.has(this.space.key(genome));
  }

  get size(): number {
    return this.keys.size;
  }

  /** Records `genome` as known and returns it. */
  remember(genome: Genome): Genome {
    this.keys.add(this.space.key(genome));
    return genome;
  }

  /** The first new architecture among up to `attempts` draws, else the last draw. */
  drawNew(draw: () => Genome, attempts = NOVELTY_ATTEMPTS): Genome {
    let genome = draw();
    for (let i = 1; i < attempts && this.has(genome); i++) genome = draw();
    return this.remember(genome);
  }
}
