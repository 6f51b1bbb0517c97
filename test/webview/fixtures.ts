import { Rng } from '../../server/core/rng';
import type { SearchRunSummary, TrialRecord } from '../../contract/runs';
import { searchSummary } from '../unit/extension/summaries';

/** A plausible OFA search: latency 8–45 ms, accuracy rising with latency plus noise. */
export function syntheticTrials(count: number, seed = 1, constraintMs = 20): TrialRecord[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, trial) => {
    const ks = Array.from({ length: 20 }, () => rng.choice([3, 5, 7]));
    const e = Array.from({ length: 20 }, () => rng.choice([3, 4, 6]));
    const d = Array.from({ length: 5 }, () => rng.choice([2, 3, 4]));
    const r = rng.choice([160, 176, 192, 208, 224]);
    const latency = 8 + 37 * rng.next();
    const accuracy = 70 + 10 * (1 - Math.exp(-latency / 12)) + 1.5 * rng.normal();
    return {
      trial,
      key: `${ks.join('')}-${e.join('')}-${d.join('')}-${r}`,
      genome: [...ks, ...e, ...d, r],
      arch: { space: 'ofa-mbv3', ks, e, d, r },
      metrics: { lat_ms_note10: latency, acc_top1: accuracy, flops_m: 150 + 12 * latency + 20 * rng.next() },
      feasible: latency <= constraintMs,
      cached: false,
      durationMs: 20 + 10 * rng.next(),
    };
  });
}

/** An OFA search with these trials, finished. */
export function summaryFor(trials: readonly TrialRecord[], overrides: Partial<SearchRunSummary> = {}): SearchRunSummary {
  return searchSummary({
    id: 'exp-1',
    name: 'ofa-note10',
    dir: '/tmp/exp-1',
    source: '/tmp/ofa.nas.json',
    trials: trials.length,
    budget: trials.length,
    objectives: [{ metric: 'acc_top1', goal: 'maximize' }],
    constraints: [{ metric: 'lat_ms_note10', max: 20 }],
    ...overrides,
  });
}
