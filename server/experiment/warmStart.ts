import type { Genome } from '../core/searchSpace';
import type { Observation, Strategy, TransferredObservation } from '../core/strategy';
import { primaryFitness } from '../strategies/fitness';
import { standardScores } from '../strategies/warmPrior';
import type { WarmObservationRecord } from './searchRecords';
import type { WarmStartSpec } from './spec';
import { usesPrior, usesTopK } from './warmStartSpec';

/*
 * How a search uses what a warm start transferred (see warmStartTransfer.ts for the transfer):
 * the prior pre-fits the strategy, top-k puts the sources' best architectures first. Pure, so
 * the same journaled observations always give the same search.
 */

function observationOf(record: WarmObservationRecord): Observation {
  return { objectives: record.objectives.map((v) => v ?? -Infinity), feasible: record.feasible };
}

/** Records grouped by source run, each group in journal order, groups in order of first appearance. */
function bySource(records: readonly WarmObservationRecord[]): WarmObservationRecord[][] {
  const groups = new Map<string, WarmObservationRecord[]>();
  for (const r of records) {
    const group = groups.get(r.source);
    if (group) group.push(r);
    else groups.set(r.source, [r]);
  }
  return [...groups.values()];
}

/** The transferred observations as a prior takes them: each with its first objective standardized within its own run. */
export function transferredObservations(records: readonly WarmObservationRecord[]): TransferredObservation[] {
  return bySource(records).flatMap((group) => {
    const observations = group.map(observationOf);
    const scores = standardScores(observations.map(primaryFitness));
    return group.map((r, i) => ({ genome: r.genome, observation: observations[i], score: scores[i] }));
  });
}

/**
 * The architectures top-k evaluates first: the best of each source in turn (by its first
 * objective, feasible ones only, the earlier trial on ties), each architecture once, at most k.
 */
export function topKGenomes(records: readonly WarmObservationRecord[], k: number): Genome[] {
  const ranked = bySource(records).map((group) =>
    group
      .map((r) => ({ r, fitness: primaryFitness(observationOf(r)) }))
      .filter(({ fitness }) => Number.isFinite(fitness))
      .sort((a, b) => b.fitness - a.fitness || a.r.trial - b.r.trial)
      .map(({ r }) => r),
  );
  const chosen = new Map<string, Genome>();
  for (let rank = 0; chosen.size < k && ranked.some((g) => rank < g.length); rank++) {
    for (const group of ranked) {
      const r = group[rank];
      if (r && chosen.size < k && !chosen.has(r.key)) chosen.set(r.key, r.genome);
    }
  }
  return [...chosen.values()];
}

/** A strategy that proposes given architectures first (Optuna's `enqueue_trial`), then its own; every result reaches it. */
class EvaluateFirst implements Strategy {
  constructor(
    private readonly inner: Strategy,
    private readonly queue: Genome[],
  ) {}

  ask(): Genome {
    return this.queue.shift() ?? this.inner.ask();
  }

  tell(genome: Genome, observation: Observation): void {
    this.inner.tell(genome, observation);
  }

  recommend(): Genome[] {
    return this.inner.recommend?.() ?? [];
  }
}

/** The strategy warm-started as the spec says: its prior pre-fitted, the top-k queued first. */
export function warmStarted(strategy: Strategy, warm: Pick<WarmStartSpec, 'use' | 'k' | 'halfLife'>, records: readonly WarmObservationRecord[]): Strategy {
  if (records.length === 0) return strategy;
  if (usesPrior(warm)) strategy.prior?.(transferredObservations(records), warm.halfLife);
  const first = usesTopK(warm) ? topKGenomes(records, warm.k) : [];
  return first.length > 0 ? new EvaluateFirst(strategy, first) : strategy;
}
