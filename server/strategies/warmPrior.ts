import type { TransferredObservation } from '../core/strategy';

/*
 * How strategies mix what earlier runs observed (a warm start's prior) with their own
 * observations. Earlier runs may have scored another dataset, on another scale (CIFAR-10
 * accuracies near 90 %, ImageNet16-120 near 45 %), so transferred values enter as z-scores within
 * their run, and this run's values are put on the same footing while both are in play.
 */

/** Weight of a prior after `observed` observations of this run: 1 at first, 1/2 after `halfLife`. */
export function priorWeight(halfLife: number, observed: number): number {
  return halfLife / (halfLife + observed);
}

/** Z-scores of one run's values among its finite ones; non-finite values stay -Infinity, no spread gives 0. */
export function standardScores(values: readonly number[]): number[] {
  const finite = values.filter(Number.isFinite);
  const mean = finite.reduce((s, v) => s + v, 0) / Math.max(1, finite.length);
  const spread = Math.sqrt(finite.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, finite.length));
  return values.map((v) => (Number.isFinite(v) ? (spread > 0 ? (v - mean) / spread : 0) : -Infinity));
}

/**
 * The `count` transferred observations with the best finite scores, worst first (a population
 * seeded with them retires the weakest first); equal scores keep their source order.
 */
export function bestTransferred(observations: readonly TransferredObservation[], count: number): TransferredObservation[] {
  return observations
    .map((o, order) => ({ o, order }))
    .filter(({ o }) => Number.isFinite(o.score))
    .sort((a, b) => b.o.score - a.o.score || a.order - b.order)
    .slice(0, count)
    .reverse()
    .map(({ o }) => o);
}

/**
 * Where a fitness stands next to transferred scores. Without a prior in play it is the fitness
 * itself (a cold run compares raw values, exactly as without warm starts); with one, this run's
 * fitnesses become z-scores among the finite ones seen so far (Welford's running variance; 0
 * until two differ), so they compare with transferred scores on one scale.
 */
export class TransferScale {
  private count = 0;
  private mean = 0;
  private squares = 0;
  /** Set once a prior puts transferred scores next to this run's fitnesses. */
  mixing = false;

  add(fitness: number): void {
    if (!Number.isFinite(fitness)) return;
    this.count++;
    const delta = fitness - this.mean;
    this.mean += delta / this.count;
    this.squares += delta * (fitness - this.mean);
  }

  /** This run's fitness as a z-score (-Infinity stays). */
  score(fitness: number): number {
    if (!Number.isFinite(fitness)) return fitness;
    const spread = this.count > 1 ? Math.sqrt(this.squares / this.count) : 0;
    return spread > 0 ? (fitness - this.mean) / spread : 0;
  }

  /** A value's standing: transferred scores as they are, this run's fitnesses raw or, while mixing, standardized. */
  standing(value: number, transferred: boolean): number {
    return transferred || !this.mixing ? value : this.score(value);
  }
}
