import type { ObjectiveSpec } from '../../contract/metrics';
import type { TrialRow } from '../../contract/runs';
import type { ProgressAxis } from './bestSoFar';

/**
 * Volume of the region dominated by `points` and dominating `reference`, every objective
 * oriented so that larger is better and the reference at or below every point. Exact, by
 * slicing along the first objective (HSO): fine for the fronts of a search.
 */
export function hypervolume(points: readonly (readonly number[])[], reference: readonly number[]): number {
  const inside = points.filter((p) => p.every((v, d) => v > reference[d]));
  if (inside.length === 0) return 0;
  if (reference.length === 1) return Math.max(...inside.map((p) => p[0])) - reference[0];
  const sorted = [...inside].sort((a, b) => b[0] - a[0]);
  let volume = 0;
  for (let i = 0; i < sorted.length; i++) {
    const next = i + 1 < sorted.length ? sorted[i + 1][0] : reference[0];
    const width = sorted[i][0] - next;
    if (width > 0) volume += width * hypervolume(sorted.slice(0, i + 1).map((p) => p.slice(1)), reference.slice(1));
  }
  return volume;
}

/** Each trial's objective values oriented to maximize, or undefined when it has none usable. */
function oriented(t: TrialRow, objectives: readonly ObjectiveSpec[]): number[] | undefined {
  if (!t.feasible || t.error !== undefined) return undefined;
  const p = objectives.map((o) => (o.goal === 'maximize' ? 1 : -1) * (t.metrics[o.metric] ?? Number.NaN));
  return p.every(Number.isFinite) ? p : undefined;
}

/** The reference point runs shown together share: the worst feasible value of each objective over all of them. */
export function worstPoint(runs: readonly (readonly TrialRow[])[], objectives: readonly ObjectiveSpec[]): number[] | undefined {
  const points = runs.flatMap((trials) => trials.flatMap((t) => {
    const p = oriented(t, objectives);
    return p ? [p] : [];
  }));
  if (points.length === 0) return undefined;
  return objectives.map((_, d) => Math.min(...points.map((p) => p[d])));
}

/**
 * Hypervolume of the feasible Pareto front after each evaluation (where it changes, and at the
 * last one), over evaluations or summed evaluation time, as the best-so-far curve does for one
 * objective. The reference is offset a little below the worst point so its own front counts.
 */
export function hypervolumeHistory(trials: readonly TrialRow[], objectives: readonly ObjectiveSpec[], reference: readonly number[], axis: ProgressAxis): [number, number][] {
  const ordered = [...trials].sort((a, b) => a.trial - b.trial);
  const points: [number, number][] = [];
  let front: number[][] = [];
  let volume = 0;
  let elapsed = 0;
  ordered.forEach((t, i) => {
    elapsed += t.durationMs / 1000;
    const x = axis === 'evaluations' ? i + 1 : elapsed;
    const p = oriented(t, objectives);
    const dominated = !p || front.some((q) => q.every((v, d) => v >= p[d]));
    if (p && !dominated) {
      front = [...front.filter((q) => !p.every((v, d) => v >= q[d])), p];
      volume = hypervolume(front, reference);
      points.push([x, volume]);
    } else if (i === ordered.length - 1 && front.length > 0) {
      points.push([x, volume]);
    }
  });
  return points;
}
