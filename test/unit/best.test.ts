import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bestTrial, paretoTrials } from '../../server/experiment/best';
import type { TrialRecord } from '../../contract/runs';

const trial = (n: number, acc: number, lat: number, extra: Partial<TrialRecord> = {}): TrialRecord => ({
  trial: n,
  key: `k${n}`,
  genome: [n],
  arch: { space: 'test' },
  metrics: { acc, lat },
  feasible: true,
  cached: false,
  durationMs: 1,
  ...extra,
});

const objectives = [
  { metric: 'acc', goal: 'maximize' as const },
  { metric: 'lat', goal: 'minimize' as const },
];

test('Pareto front by hand: dominated, infeasible and repeated trials are left out; best first', () => {
  const trials = [
    trial(0, 0.9, 10), // front
    trial(1, 0.8, 12), // dominated by 0
    trial(2, 0.95, 20), // front
    trial(3, 0.7, 5), // front
    trial(4, 0.99, 1, { feasible: false }), // would dominate all, but infeasible
    trial(5, 0.9, 10, { cached: true }), // same architecture as 0 again
    trial(6, 0.95, 25), // dominated by 2
  ];
  assert.deepEqual(paretoTrials(trials, objectives), [2, 0, 3]);
  assert.deepEqual(paretoTrials(trials, objectives.slice(0, 1)), []);
  assert.equal(bestTrial(trials, objectives)?.trial, 2);
});
