/**
 * The statistic a latency figure is taken as: a low quantile of the timed runs. On a shared
 * machine other jobs only ever make a run slower, so the fast end of the distribution is what the
 * code costs; a median moves with the machine's load (measured at load average 5: the same
 * network's layers summed to 115 ms, then to 33 ms a minute later), a low quantile far less. Not the minimum itself,
 * so one lucky run (a timer tick) does not decide it.
 */
export const LATENCY_QUANTILE = 0.1;

/** The q-quantile of `values` (linear interpolation between order statistics, as numpy's default). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('quantile of no values');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
  const sorted = [...values].sort((a, b) => a - b);
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** The latency of timed runs (ms): their `LATENCY_QUANTILE`-quantile. */
export function robustLatency(times: readonly number[]): number {
  return quantile(times, LATENCY_QUANTILE);
}
