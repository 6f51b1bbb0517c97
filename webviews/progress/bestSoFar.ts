import type { TrialRow } from '../../contract/runs';

export type ProgressAxis = 'evaluations' | 'time';

/**
 * Best feasible value of `metric` after each evaluation, as the points where it changes plus the
 * last evaluation (so the line reaches the end of the run). x is the evaluation count (1-based)
 * or the summed evaluation time in seconds, in trial order.
 */
export function bestSoFar(
  trials: readonly TrialRow[],
  metric: string,
  goal: 'maximize' | 'minimize',
  axis: ProgressAxis,
): [number, number][] {
  const ordered = [...trials].sort((a, b) => a.trial - b.trial);
  const points: [number, number][] = [];
  let best = NaN;
  let elapsed = 0;
  ordered.forEach((t, i) => {
    elapsed += t.durationMs / 1000;
    const x = axis === 'evaluations' ? i + 1 : elapsed;
    const value = t.metrics[metric];
    const improves = t.feasible && Number.isFinite(value) && (Number.isNaN(best) || (goal === 'maximize' ? value > best : value < best));
    if (improves) {
      best = value;
      points.push([x, best]);
    } else if (i === ordered.length - 1 && !Number.isNaN(best)) {
      points.push([x, best]);
    }
  });
  return points;
}
