/** Which trials' learning curves the progress view overlays, and their smoothed series. */
import type { TrialRow } from '../../contract/runs';
import type { EpochPoint } from '../../contract/trialCurve';
import { smoothEma } from './smoothing';

/** Curves overlaid at most: more lines than colours are unreadable. */
export const MAX_OVERLAID_CURVES = 6;

export interface TrialCurveLine {
  readonly trial: number;
  readonly points: readonly EpochPoint[];
  /** Still training (its curve came while it ran). */
  readonly running: boolean;
}

/**
 * The selected trial (when it has a curve) and the most recent others, newest first: finished
 * trials with their journaled curves and trials in flight with the curve so far.
 */
export function overlaidCurves(finished: readonly TrialRow[], running: ReadonlyMap<number, readonly EpochPoint[]>, selected: number | undefined): TrialCurveLine[] {
  const lines = new Map<number, TrialCurveLine>();
  for (const t of finished) if (t.curve && t.curve.length > 0) lines.set(t.trial, { trial: t.trial, points: t.curve, running: false });
  for (const [trial, points] of running) if (!lines.has(trial) && points.length > 0) lines.set(trial, { trial, points, running: true });
  const newestFirst = [...lines.values()].sort((a, b) => b.trial - a.trial);
  const chosen = selected !== undefined ? lines.get(selected) : undefined;
  const rest = newestFirst.filter((l) => l !== chosen);
  return (chosen ? [chosen, ...rest] : rest).slice(0, MAX_OVERLAID_CURVES);
}

/** [epoch, smoothed value] pairs of one quantity of a curve. */
export function smoothedSeries(points: readonly EpochPoint[], value: (p: EpochPoint) => number, weight: number): [number, number][] {
  const smoothed = smoothEma(points.map(value), weight);
  return points.map((p, i) => [p.epoch, smoothed[i]]);
}
