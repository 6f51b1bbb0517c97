import type { Genome } from '../core/searchSpace';
import type { AccuracyPredictor } from '../ofa/accuracyPredictor';
import type { AdditiveCost } from '../ofa/additiveCost';
import { BLOCK_COUNT, EXPAND_RATIOS, MAX_DEPTH, STAGE_COUNT, DEPTHS } from '../spaces/ofa/mbv3Network';
import { D_OFFSET, E_OFFSET, KS_OFFSET, R_INDEX } from '../spaces/ofa/ofaMbv3Space';
import type { Candidate } from './searchProblem';

/**
 * Predictor evaluations with memory: every architecture is predicted once, however often a
 * search proposes it (equivalent genomes that differ only in skipped blocks share one entry).
 */
export class EvaluationCache {
  private readonly known = new Map<string, number>();
  /** Predictor evaluations actually run. */
  evaluations = 0;

  constructor(
    private readonly predictor: AccuracyPredictor,
    private readonly cost: AdditiveCost,
  ) {}

  evaluate(genomes: readonly Genome[]): Candidate[] {
    const keys = genomes.map(canonicalKey);
    const fresh = new Map<string, Genome>();
    genomes.forEach((genome, i) => {
      if (!this.known.has(keys[i])) fresh.set(keys[i], genome);
    });
    const accuracies = this.predictor.predictMany([...fresh.values()]);
    this.evaluations += fresh.size;
    [...fresh.keys()].forEach((key, i) => this.known.set(key, accuracies[i]));
    return genomes.map((genome, i) => ({ genome, accuracy: this.known.get(keys[i])!, cost: this.cost.cost(genome) }));
  }
}

/** Short canonical string: the resolution index, then per block 0 (skipped) or 1 + option. */
function canonicalKey(genome: Genome): string {
  const maxDepth = MAX_DEPTH;
  const depths = DEPTHS;
  const dOffset = D_OFFSET;
  const ksOffset = KS_OFFSET;
  const eOffset = E_OFFSET;
  const expands = EXPAND_RATIOS.length;
  const codes = new Array<number>(BLOCK_COUNT + 1);
  codes[0] = 48 + genome[R_INDEX];
  for (let s = 0; s < STAGE_COUNT; s++) {
    const depth = depths[genome[dOffset + s]];
    for (let j = 0; j < maxDepth; j++) {
      const i = s * maxDepth + j;
      codes[i + 1] = 48 + (j < depth ? 1 + genome[ksOffset + i] * expands + genome[eOffset + i] : 0);
    }
  }
  return String.fromCharCode(...codes);
}
