import { writeFileSync } from 'node:fs';
import type { Trial } from './nb201Loop';

/** Mean regret per number of evaluations, per series: what bench/plotCurves.ts draws. */
export interface CurvesFile {
  readonly title: string;
  readonly yLabel: string;
  readonly series: Readonly<Record<string, readonly number[]>>;
}

/**
 * Regret after each evaluation: the best report value of the whole table minus the report value
 * of the protocol's pick so far (the feasible trial with the best signal, the earliest on ties).
 * NaN until a feasible trial is found.
 */
export function regretCurve(trials: readonly Trial[], report: string, best: number): number[] {
  let pick: Trial | undefined;
  return trials.map((t) => {
    if (t.observation.feasible && (!pick || t.observation.objectives[0] > pick.observation.objectives[0])) pick = t;
    return pick ? best - pick.metrics[report] : NaN;
  });
}

/** Element-wise mean of equally long curves. */
export function meanCurve(curves: readonly (readonly number[])[]): number[] {
  return curves[0].map((_, i) => curves.reduce((s, c) => s + c[i], 0) / curves.length);
}

export function writeCurves(file: string, curves: CurvesFile): void {
  writeFileSync(file, JSON.stringify(curves) + '\n');
}
