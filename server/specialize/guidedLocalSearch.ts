import type { Genome } from '../core/searchSpace';
import type { Rng } from '../core/rng';
import { DEPTHS, EXPAND_RATIOS, KERNEL_SIZES, MAX_DEPTH, STAGE_COUNT } from '../spaces/ofa/mbv3Network';
import { D_OFFSET, E_OFFSET, KS_OFFSET, R_INDEX } from '../spaces/ofa/ofaMbv3Space';
import { EvaluationCache } from './evaluationCache';
import { solveLinear } from './lagrangianSolve';
import { linearize } from './linearModel';
import { Neighborhood } from './ofaMoves';
import { type Candidate, type Finder, type FinderOutcome, type SearchControl, type SearchProblem, checkpoint } from './searchProblem';

export interface GuidedSearchOptions {
  /** Predictor evaluations to spend (the search stops at the first step past it). */
  evaluations?: number;
  /** Moves evaluated per local-search step, chosen by linear-model gain. */
  neighbors?: number;
  /** Screened starting points per resolution. */
  startsPerResolution?: number;
  /** Screened starts taken into a full descent. */
  descents?: number;
}

export const GUIDED_SEARCH_DEFAULTS: Required<GuidedSearchOptions> = {
  evaluations: 1500,
  neighbors: 12,
  startsPerResolution: 1,
  descents: 2,
};

/** Linearize-and-solve rounds when screening a resolution, and local-search steps after them. */
const SCREEN_SOLVES = 3;
const SCREEN_STEPS = 3;
/** Blocks re-drawn by a kick of the iterated local search. */
const KICK_MIN_BLOCKS = 3;
const KICK_EXTRA_BLOCKS = 3;
const MAX_IDLE_KICKS = 50;
/** Most measured-improving move sets joined into one step. */
const MAX_UNION = 8;

/**
 * NAS Studio's specialization search. It exploits two facts OFA's evolution ignores: the
 * efficiency model is a sum over blocks, and the accuracy predictor is differentiable in its
 * one-hot input. The predictor's gradient at an architecture prices every block option, so
 *
 * 1. screening: at each resolution, linearize and solve the linear problem under the constraint
 *    (Lagrangian relaxation, no predictor calls), repeat while that improves, then take a few
 *    local steps; the problem's `starts` join the screened points;
 * 2. descent: from the best screened starts, local search whose step evaluates only the
 *    `neighbors` single and paired block moves the linear model ranks highest among those that
 *    fit (the model orders such moves with a rank correlation near 0.9), the linear optimum at
 *    every other resolution, and unions of the moves that measured better; it moves to the best;
 * 3. iterated local search: re-draw a few blocks of the best architecture, repair it with the
 *    linear solve if it no longer fits, descend again; until the evaluation budget is spent.
 *
 * Every candidate is feasible by construction and predicted exactly once (EvaluationCache).
 */
export class GuidedLocalSearchFinder implements Finder {
  readonly name = 'guided-local-search';
  readonly options: Required<GuidedSearchOptions>;

  constructor(options: GuidedSearchOptions = {}) {
    this.options = { ...GUIDED_SEARCH_DEFAULTS, ...options };
  }

  async search(problem: SearchProblem, rng: Rng, control: SearchControl = {}): Promise<FinderOutcome> {
    const { predictor, cost, limit, space } = problem;
    const budget = this.options.evaluations;
    const cache = new EvaluationCache(predictor, cost);
    let best: Candidate | undefined;
    const consider = (candidates: Candidate[]): Candidate | undefined => {
      let top: Candidate | undefined;
      for (const c of candidates) if (c.cost <= limit && (!top || c.accuracy > top.accuracy)) top = c;
      if (top && (!best || top.accuracy > best.accuracy)) {
        best = top;
        control.progress?.(Math.min(1, cache.evaluations / budget), best);
      }
      return top;
    };
    const spent = () => cache.evaluations >= budget;

    /** Local search from `start`; returns the local optimum (or where the budget ran out). */
    const descend = async (start: Candidate, fixedResolution: boolean, maxSteps: number): Promise<Candidate> => {
      let current = start;
      for (let step = 0; step < maxSteps && !spent(); step++) {
        await checkpoint(control.signal);
        const model = linearize(predictor, current.genome);
        const neighborhood = new Neighborhood(current.genome, model, cost);
        const slack = limit - current.cost;
        const moves = neighborhood.bestMoves(slack, this.options.neighbors);
        const proposals = moves.map((m) => neighborhood.genomeOf(m));
        if (!fixedResolution) {
          for (let r = 0; r < space.resolutions.length; r++) {
            if (r === current.genome[R_INDEX]) continue;
            const other = solveLinear(model, cost, limit, r, current.genome);
            if (other) proposals.push(other);
          }
        }
        const evaluated = cache.evaluate(proposals);
        // Moves that measured better usually help together: try their unions, best gains first.
        const improving = moves.map((m, i) => ({ m, accuracy: evaluated[i].accuracy })).filter((x) => x.accuracy > current.accuracy);
        improving.sort((a, b) => b.accuracy - a.accuracy);
        const unions = cache.evaluate(neighborhood.combine(improving.map((x) => x.m), slack, MAX_UNION));
        const next = consider([...evaluated, ...unions]);
        if (!next || next.accuracy <= current.accuracy) break;
        current = next;
      }
      return current;
    };

    /** Linear solves at one resolution from a random start, then a short local search there. */
    const screen = async (resolution: number): Promise<Candidate | undefined> => {
      const sample = space.sample(rng).slice();
      sample[R_INDEX] = resolution;
      let current: Candidate | undefined = cost.cost(sample) <= limit ? consider(cache.evaluate([sample])) : undefined;
      let anchor: Genome = sample;
      for (let round = 0; round < SCREEN_SOLVES; round++) {
        const solved = solveLinear(linearize(predictor, anchor), cost, limit, resolution, anchor);
        if (!solved) return current;
        const candidate = consider(cache.evaluate([solved]));
        if (!candidate || (current && candidate.accuracy <= current.accuracy)) break;
        current = candidate;
        anchor = solved;
      }
      return current && descend(current, true, SCREEN_STEPS);
    };

    const screened: Candidate[] = cache.evaluate(problem.starts ?? []).filter((c) => c.cost <= limit);
    consider(screened);
    for (let round = 0; round < this.options.startsPerResolution; round++) {
      for (let r = 0; r < space.resolutions.length; r++) {
        const found = await screen(r);
        if (found) screened.push(found);
      }
    }
    screened.sort((a, b) => b.accuracy - a.accuracy);
    for (const start of screened.slice(0, this.options.descents)) {
      if (spent()) break;
      await descend(start, false, Infinity);
    }
    // Kicks that only revisit known architectures spend nothing; give up after a run of them.
    for (let idle = 0; best && !spent() && idle < MAX_IDLE_KICKS; ) {
      const before = cache.evaluations;
      const kicked = this.kick(best.genome, rng);
      const repaired = cost.cost(kicked) <= limit ? kicked : solveLinear(linearize(predictor, kicked), cost, limit, kicked[R_INDEX], kicked);
      const start = repaired && consider(cache.evaluate([repaired]));
      if (start) await descend(start, false, Infinity);
      idle = cache.evaluations === before ? idle + 1 : 0;
    }
    if (!best) throw new RangeError('no feasible architecture found');
    control.progress?.(1, best);
    return { best, evaluations: cache.evaluations };
  }

  /** Re-draws the options of a few active blocks and, sometimes, one stage's depth. */
  private kick(genome: Genome, rng: Rng): number[] {
    const next = genome.slice();
    const active: number[] = [];
    for (let s = 0; s < STAGE_COUNT; s++) for (let j = 0; j < DEPTHS[genome[D_OFFSET + s]]; j++) active.push(s * MAX_DEPTH + j);
    const count = KICK_MIN_BLOCKS + rng.int(KICK_EXTRA_BLOCKS);
    for (const index of rng.sampleIndices(active.length, count)) {
      next[KS_OFFSET + active[index]] = rng.int(KERNEL_SIZES.length);
      next[E_OFFSET + active[index]] = rng.int(EXPAND_RATIOS.length);
    }
    if (rng.next() < 0.3) next[D_OFFSET + rng.int(STAGE_COUNT)] = rng.int(DEPTHS.length);
    return next;
  }
}
