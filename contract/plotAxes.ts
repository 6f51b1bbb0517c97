import type { SearchRunSummary, TrialRecord } from './runs';

/** Metric names that measure cost, in order of preference for the plot's x axis. */
const costPatterns = [/lat/i, /flop|mac/i, /param/i, /size|bytes/i];

function firstCostLike(names: readonly string[]): string | undefined {
  return costPatterns.map((p) => names.find((n) => p.test(n))).find((n) => n !== undefined);
}

/**
 * Axes for a latency/accuracy plot when nobody chose: y is the first objective; x the second
 * objective if there is one, else the first cost metric the spec names (constraints, then
 * report), else the first cost-like metric the trials carry, else any other.
 */
export function defaultPlotAxes(summary: SearchRunSummary, trials: readonly TrialRecord[]): { x: string; y: string } {
  const y = summary.objectives[0]?.metric ?? Object.keys(trials[0]?.metrics ?? {})[0] ?? 'accuracy';
  const second = summary.objectives[1]?.metric;
  if (second) return { x: second, y };
  const others = (names: readonly string[]) => names.filter((n) => n !== y);
  const measured = others([...new Set(trials.slice(0, 100).flatMap((t) => Object.keys(t.metrics)))]);
  const x =
    firstCostLike(others(summary.constraints.map((c) => c.metric))) ?? firstCostLike(others(summary.report)) ?? firstCostLike(measured) ?? measured[0] ?? y;
  return { x, y };
}
