import type { Genome } from '../core/searchSpace';
import type { AdditiveCost } from '../ofa/additiveCost';
import { BLOCK_COUNT, BLOCK_OPTIONS, DEPTHS, EXPAND_RATIOS, MAX_DEPTH, STAGE_COUNT } from '../spaces/ofa/mbv3Network';
import { D_OFFSET, E_OFFSET, KS_OFFSET, R_INDEX } from '../spaces/ofa/ofaMbv3Space';
import type { LinearModel } from './linearModel';

const CHANGE_OPTION = 0;
const ADD_BLOCK = 1;
const REMOVE_BLOCK = 2;
/** Upper bound on single moves: 8 other options for 20 blocks, 9 ways to add a block and 1 to remove one per stage. */
const MAX_MOVES = BLOCK_COUNT * (BLOCK_OPTIONS - 1) + STAGE_COUNT * (BLOCK_OPTIONS + 1);

/** One or two compatible move indices of a Neighborhood. */
export type MoveSet = readonly number[];

/**
 * The single moves around an architecture at its resolution (change an active block's option,
 * add a stage's next block with any option, drop a stage's last block), each with its exact cost
 * change and its gain under a linear accuracy model. Moves on different blocks (and not both on
 * one stage's depth) combine additively, which makes pairs as cheap to price as singles.
 */
export class Neighborhood {
  private readonly kind = new Int8Array(MAX_MOVES);
  private readonly block = new Int8Array(MAX_MOVES);
  private readonly stage = new Int8Array(MAX_MOVES);
  private readonly option = new Int8Array(MAX_MOVES);
  private readonly costChange = new Float64Array(MAX_MOVES);
  private readonly gain = new Float64Array(MAX_MOVES);
  private count = 0;

  constructor(
    private readonly genome: Genome,
    model: LinearModel,
    cost: AdditiveCost,
  ) {
    const r = genome[R_INDEX];
    const optionOf = (i: number) => genome[KS_OFFSET + i] * EXPAND_RATIOS.length + genome[E_OFFSET + i];
    for (let s = 0; s < STAGE_COUNT; s++) {
      const depth = DEPTHS[genome[D_OFFSET + s]];
      for (let j = 0; j < depth; j++) {
        const i = s * MAX_DEPTH + j;
        const current = optionOf(i);
        for (let o = 0; o < BLOCK_OPTIONS; o++) {
          if (o === current) continue;
          this.push(CHANGE_OPTION, i, o, cost.blockCost(r, i, o) - cost.blockCost(r, i, current), model.block[i * BLOCK_OPTIONS + o] - model.block[i * BLOCK_OPTIONS + current]);
        }
      }
      if (depth < MAX_DEPTH) {
        const i = s * MAX_DEPTH + depth;
        for (let o = 0; o < BLOCK_OPTIONS; o++) this.push(ADD_BLOCK, i, o, cost.blockCost(r, i, o), model.block[i * BLOCK_OPTIONS + o]);
      }
      if (depth > DEPTHS[0]) {
        const i = s * MAX_DEPTH + depth - 1;
        const current = optionOf(i);
        this.push(REMOVE_BLOCK, i, current, -cost.blockCost(r, i, current), -model.block[i * BLOCK_OPTIONS + current]);
      }
    }
  }

  /**
   * The `k` single moves and compatible pairs with the largest model gain whose cost change fits
   * in `slack`, best first, each as a list of move indices (see `genomeOf`).
   */
  bestMoves(slack: number, k: number): MoveSet[] {
    const order = Array.from({ length: this.count }, (_, m) => m).sort((a, b) => this.gain[b] - this.gain[a]);
    const scores: number[] = [];
    const picks: MoveSet[] = [];
    const offer = (score: number, moves: MoveSet) => {
      if (picks.length === k && score <= scores[k - 1]) return;
      let at = picks.length === k ? k - 1 : picks.length;
      while (at > 0 && scores[at - 1] < score) {
        scores[at] = scores[at - 1];
        picks[at] = picks[at - 1];
        at--;
      }
      scores[at] = score;
      picks[at] = moves;
    };
    for (let x = 0; x < order.length; x++) {
      const a = order[x];
      // Partners come later in the order, so they gain at most as much as `a`: once neither `a`
      // alone nor `a` with an equal partner beats the k-th pick, no later move can either.
      if (picks.length === k && this.gain[a] + Math.max(this.gain[a], 0) <= scores[k - 1]) break;
      if (this.costChange[a] <= slack) offer(this.gain[a], [a]);
      for (let y = x + 1; y < order.length; y++) {
        const b = order[y];
        const score = this.gain[a] + this.gain[b];
        if (picks.length === k && score <= scores[k - 1]) break;
        if (this.costChange[a] + this.costChange[b] <= slack && this.compatible(a, b)) offer(score, [a, b]);
      }
    }
    return picks;
  }

  /** The architecture after applying compatible moves. */
  genomeOf(moves: MoveSet): number[] {
    const next = this.genome.slice();
    for (const m of moves) this.apply(next, m);
    return next;
  }

  /**
   * Unions of move sets, in the given order of preference (e.g. by measured gain): each set joins
   * when it is compatible with those taken and the total still fits in `slack`. Returns the
   * architecture after every union of two or more sets, up to `limit` sets.
   */
  combine(sets: readonly MoveSet[], slack: number, limit: number): number[][] {
    const taken: number[] = [];
    const unions: number[][] = [];
    let used = 0;
    let count = 0;
    for (const set of sets) {
      if (count >= limit) break;
      const change = set.reduce((sum, m) => sum + this.costChange[m], 0);
      if (used + change > slack || set.some((m) => taken.some((t) => !this.compatible(t, m)))) continue;
      taken.push(...set);
      used += change;
      if (++count >= 2) unions.push(this.genomeOf(taken));
    }
    return unions;
  }

  private push(kind: number, block: number, option: number, costChange: number, gain: number): void {
    const m = this.count++;
    this.kind[m] = kind;
    this.block[m] = block;
    this.stage[m] = Math.floor(block / MAX_DEPTH);
    this.option[m] = option;
    this.costChange[m] = costChange;
    this.gain[m] = gain;
  }

  private compatible(a: number, b: number): boolean {
    if (this.block[a] === this.block[b]) return false;
    const depthMoves = this.kind[a] !== CHANGE_OPTION && this.kind[b] !== CHANGE_OPTION;
    return !(depthMoves && this.stage[a] === this.stage[b]);
  }

  private apply(genome: number[], m: number): void {
    const i = this.block[m];
    const stage = Math.floor(i / MAX_DEPTH);
    if (this.kind[m] === REMOVE_BLOCK) {
      genome[D_OFFSET + stage]--;
      return;
    }
    if (this.kind[m] === ADD_BLOCK) genome[D_OFFSET + stage]++;
    genome[KS_OFFSET + i] = Math.floor(this.option[m] / EXPAND_RATIOS.length);
    genome[E_OFFSET + i] = this.option[m] % EXPAND_RATIOS.length;
  }
}
